/** Console notifier: writes rendered events to a stream (stdout by default). Never fails retryably. */
import type { Notifier } from '../types.js';
import { renderEvent } from './render.js';

export function createConsoleNotifier(out: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout): Notifier {
  return {
    name: 'console',
    async send(event) {
      out.write(renderEvent(event, out.isTTY === true) + '\n');
      return { ok: true, ref: null };
    },
  };
}

export { renderEvent };
