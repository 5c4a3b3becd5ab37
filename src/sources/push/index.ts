export { createPushSource, PUSH_QUERY } from './source.js';
export { pushRoutes, type PushRouteOptions } from './route.js';
export { pushBodySchema, type PushBody } from './schema.js';
