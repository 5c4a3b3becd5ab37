export { createLogger, silentLogger, type Logger } from './log.js';
export { createMetrics, type Metrics, type ResumedFrom } from './metrics.js';
export { createOutageLog, type OutageLog } from './outage.js';
export { reportStalledJobs, type StalledSource } from './stalled.js';
export { recoveryProbe, type RecoveryProbe } from './recovery-probe.js';
