/**
 * Console notifier: writes rendered events to a stream (stdout by default).
 * Never fails retryably. An update that renders exactly as the incident's
 * last printed event did (attribution re-ranked to the same answer, an
 * anomaly that changed nothing shown) is skipped: the terminal gets one
 * block per visible change, as a chat post gets one edit. Remembers the last
 * rendering of at most MAX_REMEMBERED open incidents; a resolved one is
 * forgotten.
 */
import type { Notifier } from '../types.js';
import { renderEvent } from './render.js';

const MAX_REMEMBERED = 1_000;

export function createConsoleNotifier(out: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout): Notifier {
  const last = new Map<string, string>();
  return {
    name: 'console',
    async send(event) {
      const text = renderEvent(event, out.isTTY === true);
      const id = event.incident.id;
      if (event.kind === 'updated' && last.get(id) === text) return { ok: true, ref: null };
      out.write(text + '\n');
      last.delete(id);
      if (event.kind !== 'resolved') last.set(id, text);
      if (last.size > MAX_REMEMBERED) last.delete(last.keys().next().value!);
      return { ok: true, ref: null };
    },
  };
}

export { renderEvent };
