/** Grouping of linked services, suspect ranking and deploy verdicts. Change events come in through src/changes/. */
export { compileLinks, type ServiceLinks } from './links.js';
export { attributeIncident, type AttributeDeps } from './attribution/attribute.js';
export { newChangeCause, ownChangeCause } from './attribution/new-cause.js';
export { incidentsToRank, neighboursToRerank, rerank, verdictToRerank, type RerankDeps } from './attribution/rerank.js';
export { judgeReadyDeploys, type VerdictDeps } from './attribution/verdicts.js';
export {
  rankSuspects,
  MIN_CONFIDENCE,
  type Attribution,
  type AttributionInput,
  type IncidentSeries,
  type NeighbourSeries,
} from './attribution/rank.js';
export { judgeDeploy, type VerdictInput, type VerdictSeries } from './attribution/verdict.js';
export { mannWhitney, type UTest } from './attribution/mann-whitney.js';
