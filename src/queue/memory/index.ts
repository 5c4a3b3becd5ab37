export { MemoryQueue, type MemoryQueueOptions } from './memory-queue.js';
