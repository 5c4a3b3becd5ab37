export { runPipelineBench } from './run.js';
export { usageOf, sumSamples } from './scrape.js';
export type * from './types.js';
export { minuteTraces, plateauOf } from './memory.js';
export type { MemoryPlateau, MemorySample } from './memory.js';
