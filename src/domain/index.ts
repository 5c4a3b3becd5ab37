export * from './series.js';
export * from './anomaly.js';
export * from './deployment.js';
export * from './incident.js';
export * from './audit.js';
export * from './errors.js';
export * from './duration.js';
