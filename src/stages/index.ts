/**
 * The stages src/pipeline.ts assembles, in the order it runs them, and the
 * stage signature. Pull job: pull, score, group, then per group (in order)
 * lifecycle, alerts, attribute, notify, verdicts; then commit, neighbours'
 * attribution, cursor. Notify and verdict jobs: deliver.
 */
export type {
  Committed,
  Fetched,
  GroupBatch,
  GroupEvents,
  Grouped,
  PipelineDeps,
  PullJob,
  Scored,
  ScoreResult,
  Settled,
  Stage,
} from './types.js';
export { fetchSeries } from './fetch.js';
export { scoreBatch, scoreSeries, commitScored, FED_MAX } from './score.js';
export { autoCapacity, LiveDetectors, type LiveDetector } from './live.js';
export { groupByService, eachGroup } from './group.js';
export { locked } from './lock.js';
export { runLifecycle } from './lifecycle.js';
export { joinAlerts } from './alerts.js';
export { attributeChanged, rerankNeighbours } from './attribute.js';
export { notifyEvents } from './publish.js';
export { judgeDeploys } from './judge.js';
export { commitScores, moveCursor } from './commit.js';
export { deliver, type DeliverOptions } from './notify.js';
export { deliverVerdict } from './verdict.js';
