/** Public surface of the simulated fleet: a seeded MetricSource with its ground-truth scenario. */
export { createSimulator, createSimulatorFromQuery } from './source.js';
export type { Simulator } from './source.js';
export type { SimulatedValue } from './counterfactual.js';
export { SIM_METRICS } from './types.js';
export type {
  Scenario,
  SimIncident,
  SimIncidentKind,
  SimMetric,
  SimService,
  SimSpec,
  SimulatorOptions,
} from './types.js';
