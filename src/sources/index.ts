export type { MetricSource, SourceQuery } from './types.js';
export { schedulePulls, pullJobId, queryCursorKey } from './scheduler.js';
export { driveVirtualTime, type DriveOptions } from './drive.js';
