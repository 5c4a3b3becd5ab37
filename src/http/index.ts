export { createHttpServer, type HttpServerOptions, type ReadinessCheck } from './server.js';
export { describeIssue, nameSchema, timestampSchema } from './body.js';
