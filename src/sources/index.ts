export type { MetricSource, SourceQuery } from './types.js';
export { schedulePulls, pullJobId, queryCursorKey } from './scheduler.js';
export { startScheduler, type ScheduledSource } from './run-scheduler.js';
export { SourceHealth, type HealthChange } from './health.js';
export { driveVirtualTime, type DriveOptions } from './drive.js';
export { compileServiceRules, type ServiceMapper, type ServiceRule } from './mapping.js';
