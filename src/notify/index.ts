export type { Notifier, NotifyEvent, SendResult } from './types.js';
