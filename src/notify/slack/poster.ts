/**
 * The Web API calls every Slack delivery shares (incident posts, verdicts,
 * digests), with the channel policies that apply to all of them:
 * - `call`: a 429 is waited out (Retry-After, up to maxWaitMs of waiting in
 *   all for the call) and the call repeated, which is safe because Slack did
 *   not act on it; beyond that, and for everything else, the error is
 *   thrown for errors.ts to classify and the queue to retry;
 * - `topLevel`: storm mode counts every top-level message posted into a
 *   channel (incident posts, verdicts, digests; thread replies do not show
 *   in the channel and do not count). Beyond the limit, the message becomes
 *   one line of the channel's storm summary, which is edited in place; a
 *   post that failed is not counted;
 * - `update`: chat.update, skipped when the text and blocks equal the last
 *   ones this process sent for that message (a run's progress re-renders
 *   the same post many times). In memory: after a restart the first update
 *   of each message is sent.
 * Effects: chat.postMessage, chat.update.
 */
import type { Block } from './blocks.js';
import { section } from './blocks.js';
import type { WebClient } from './client.js';
import { classify } from './errors.js';
import { StormGuard, summaryText } from './storm.js';
import { shorten } from './text.js';
import { LIMITS } from './types.js';

export interface PosterOptions {
  readonly client: WebClient;
  readonly stormPerMinute: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly maxWaitMs: number;
  readonly log: { info(obj: object, msg: string): void };
}

export interface Message {
  readonly text: string;
  readonly blocks: readonly Block[];
}
export interface Where {
  readonly channel: string;
  readonly ts: string;
}

/** How many messages' last rendering is remembered for `update`. */
const REMEMBERED = 5_000;

export function createPoster(o: PosterOptions) {
  const storm = new StormGuard(o.stormPerMinute);
  const last = new Map<string, string>();

  async function call<T>(fn: () => Promise<T>): Promise<T> {
    // Waits are counted in total, not in tries: three 1 s Retry-Afters used to end the
    // call after 3 s, and a minute of 429s then used up every retry of the notify job.
    let waited = 0;
    for (;;) {
      try {
        return await fn();
      } catch (err) {
        const f = classify(err);
        const wait = f.retryAfter === null ? null : Math.max(1, f.retryAfter) * 1000;
        if (wait === null || waited + wait > o.maxWaitMs) throw err;
        o.log.info({ retryAfter: f.retryAfter }, 'Slack rate limit: waiting as asked before repeating the call');
        await o.sleep(wait);
        waited += wait;
      }
    }
  }

  const remember = (w: Where, m: Message) => {
    last.delete(`${w.channel}/${w.ts}`);
    last.set(`${w.channel}/${w.ts}`, JSON.stringify([m.text, m.blocks]));
    if (last.size > REMEMBERED) last.delete(last.keys().next().value!);
  };

  /** Posts a top-level message (`beforePost` runs once it is admitted), or (storm) adds `line` to the channel's summary; `summary` says which. */
  async function topLevel(
    channel: string,
    m: Message,
    line: string,
    how: { extra?: Record<string, unknown>; beforePost?: () => Promise<void> } = {},
  ): Promise<Where & { summary: boolean }> {
    const now = o.now();
    const extra = how.extra ?? {};
    if (storm.admit(channel, now)) {
      let res;
      try {
        await how.beforePost?.();
        res = await call(() =>
          o.client.chat.postMessage({ channel, text: m.text, blocks: [...m.blocks], unfurl_links: false, ...extra }),
        );
      } catch (err) {
        // A refused post (e.g. Slack's 429s through a minute of retries) is not a post: it must not push later ones into a storm summary.
        storm.forget(channel, now);
        throw err;
      }
      if (!res.ts) throw new Error('chat.postMessage returned no ts');
      const where = { channel: res.channel ?? channel, ts: res.ts };
      remember(where, m);
      return { ...where, summary: false };
    }
    const current = storm.current(channel, now);
    if (current) {
      current.lines.push(line);
      const text = summaryText(current.lines);
      await call(() =>
        o.client.chat.update({
          channel: current.channel,
          ts: current.ts,
          text: shorten(text, LIMITS.fallbackText),
          blocks: [section(text)],
        }),
      );
      return { channel: current.channel, ts: current.ts, summary: true };
    }
    const text = summaryText([line]);
    const res = await call(() => o.client.chat.postMessage({ channel, text, blocks: [section(text)] }));
    if (!res.ts) throw new Error('chat.postMessage returned no ts');
    const where = { channel: res.channel ?? channel, ts: res.ts };
    storm.remember(channel, { ...where, startedAt: now, lines: [line] });
    return { ...where, summary: true };
  }

  /** chat.update unless this exact rendering was the last one sent for the message; true when sent. */
  async function update(w: Where, m: Message): Promise<boolean> {
    if (last.get(`${w.channel}/${w.ts}`) === JSON.stringify([m.text, m.blocks])) return false;
    await call(() => o.client.chat.update({ channel: w.channel, ts: w.ts, text: m.text, blocks: [...m.blocks] }));
    remember(w, m);
    return true;
  }

  return { client: o.client, call, topLevel, update, remember };
}

export type Poster = ReturnType<typeof createPoster>;
