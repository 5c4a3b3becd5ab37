export type { ChartData, Notifier, NotifyEvent, SendResult, VerdictEvent } from './types.js';
