export { createHttpServer, type HttpServerOptions, type ReadinessCheck } from './server.js';
