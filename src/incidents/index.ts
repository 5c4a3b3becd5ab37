export { advance, DEFAULT_STAGES, confirmingStart } from './lifecycle.js';
export { nothingToDo } from './idle.js';
export { severityOf, severityRank } from './severity.js';
export { describeDeviation, describeGrowth, describeSpread, formatValue } from './describe.js';
export type {
  IncidentBatch,
  IncidentContext,
  IncidentEvent,
  IncidentEventKind,
  IncidentPolicy,
  Stage,
} from './types.js';
export { KeyedLock } from './keyed-lock.js';
export { Horizon } from './horizon.js';
export { filterByFeedback } from './feedback.js';
export {
  acknowledge,
  markNotAnomaly,
  markResolved,
  resolveIncident,
  revokeFeedback,
  silence,
  unsilence,
  type OperationContext,
  type Person,
} from './operations.js';
