export { runPipelineBench } from './run.js';
export { usageOf, sumSamples } from './scrape.js';
export type * from './types.js';
