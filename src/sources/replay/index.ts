/** Public surface of the CSV replay source. */
export { createReplaySource } from './source.js';
export { parseTimestamp } from './timestamp.js';
export type { ReplayIssue, ReplayIssueCode, ReplayOptions, ReplaySource } from './types.js';
