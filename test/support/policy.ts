/** The incident policy the lifecycle tests share: minutes of data, confirmation by two anomalies, no persistence wait. */
import type { IncidentPolicy } from '../../src/incidents/index.js';

export const MIN = 60_000;

export const testPolicy: IncidentPolicy = {
  confirmCount: 2,
  confirmWithin: 10 * MIN,
  openAtScore: 0.95,
  persistFor: 0,
  resolveAfter: 15 * MIN,
  flapWindow: 30 * MIN,
};
