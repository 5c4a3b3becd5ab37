export { createPushSource, MAX_PUSH_SHARDS, PUSH_QUERY, pushShardQuery, type PushSourceOptions } from './source.js';
export { pushRoutes, type PushRouteOptions } from './route.js';
export { pushBodySchema, type PushBody } from './schema.js';
