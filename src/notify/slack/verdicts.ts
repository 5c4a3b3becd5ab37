/**
 * Where deploy verdicts go in Slack, so that they inform without crowding
 * the channel:
 * - fail: into the thread of the incident the deploy caused, when that
 *   incident has a Slack post: the one that names the deploy as its top
 *   suspect, else as any ranked suspect, else (attribution may name it only
 *   later) the incident of the deploy's service that opened between the
 *   deploy's start and the verdict, the window the verdict itself judged;
 *   otherwise a top-level message in the service's channel (routed as high);
 * - pass, marginal, inconclusive, by `mode` (notify.slack.verdicts):
 *   'digest' (default) one digest message per channel and hour, edited as
 *   verdicts arrive; 'channel' one message each (routed as low severity);
 *   'off' none.
 * Every top-level message goes through the poster, so storm mode counts it.
 * Effects: chat.postMessage / chat.update; reads incidents and their refs.
 * Failure modes: Web API errors become a SendResult (errors.ts) for the queue.
 * Digests are in memory: after a restart the next verdict starts a new one.
 */
import { KeyedLock } from '../../incidents/index.js';
import type { Store } from '../../store/types.js';
import type { SendResult, VerdictEvent } from '../types.js';
import { section, verdictMessage, context } from './blocks.js';
import { classify } from './errors.js';
import type { Poster, Where } from './poster.js';
import type { Router } from './routing.js';
import { iso, mrkdwn, shorten } from './text.js';
import { LIMITS } from './types.js';

export type VerdictRoute = 'digest' | 'channel' | 'off';

export interface VerdictDeps {
  readonly poster: Poster;
  readonly store: Pick<Store, 'getNotificationRef' | 'listIncidents'>;
  readonly route: Router;
  readonly mode: VerdictRoute;
  readonly now: () => number;
  readonly log: { warn(obj: object, msg: string): void };
  /** Resolves once no post or edit of the incident is in flight in this process (its thread ts is saved by then). */
  readonly settled?: (incidentId: string) => Promise<void>;
}

/** A digest collects one channel's verdicts for this long, then the next verdict starts a new one. */
export const DIGEST_MS = 3_600_000;
/** Lines shown in one digest (the newest); older ones are counted. */
const DIGEST_LINES = 40;
const ICON = { pass: '✅', marginal: '🟡', fail: '🔴', inconclusive: '⚪' } as const;

interface Digest extends Where {
  readonly startedAt: number;
  readonly lines: string[];
}

export function verdictLine(e: VerdictEvent): string {
  const { verdict: v, deployment: d } = e;
  return shorten(
    `${ICON[v.outcome]} ${mrkdwn(d.service, 100)}${d.version ? ` ${mrkdwn(d.version, 60)}` : ''} ${v.outcome}: ${mrkdwn(v.summary, 200)} (\`${mrkdwn(d.id, 100)}\`)`,
    400,
  );
}

export function digestMessage(
  startedAt: number,
  lines: readonly string[],
): { text: string; blocks: ReturnType<typeof section>[] } {
  const shown = lines.slice(-DIGEST_LINES);
  const head = `*Deploy verdicts* since ${iso(startedAt)} (${lines.length}): pass and marginal ones are collected here; a failed verdict goes to its incident.`;
  const older = lines.length > shown.length ? [context(`… and ${lines.length - shown.length} earlier`)] : [];
  return {
    text: shorten(`${head}\n${shown.join('\n')}`, LIMITS.fallbackText),
    blocks: [section(head), section(shown.join('\n')), ...older],
  };
}

export function createVerdictSender(d: VerdictDeps): (e: VerdictEvent) => Promise<SendResult> {
  const digests = new Map<string, Digest>();
  const lock = new KeyedLock();
  const done = (w: Where | null): SendResult => ({ ok: true, ref: w ? `${w.channel}/${w.ts}` : null });

  /** The Slack thread of the incident this deploy is suspected of causing, if it has one. */
  async function threadOf(e: VerdictEvent): Promise<Where | null> {
    const id = e.deployment.id;
    const incidents = await d.store.listIncidents({ service: e.deployment.service, limit: 50 });
    const during = (t: number) => t >= e.deployment.startedAt && t <= e.verdict.decidedAt;
    const caused =
      incidents.find((i) => i.suspect?.deploymentId === id) ??
      incidents.find((i) => i.suspects?.some((s) => s.deploymentId === id)) ??
      incidents.find((i) => i.service === e.deployment.service && during(i.openedAt));
    if (!caused) return null;
    await d.settled?.(caused.id);
    const ref = await d.store.getNotificationRef('slack', caused.id);
    return ref?.ts && !ref.summary ? { channel: ref.channel, ts: ref.ts } : null;
  }

  async function failed(e: VerdictEvent): Promise<SendResult> {
    const m = verdictMessage(e);
    const thread = await threadOf(e);
    if (thread) {
      const res = await d.poster.call(() =>
        d.poster.client.chat.postMessage({
          channel: thread.channel,
          thread_ts: thread.ts,
          text: m.text,
          blocks: [...m.blocks],
          unfurl_links: false,
        }),
      );
      return done({ channel: res.channel ?? thread.channel, ts: res.ts ?? '' });
    }
    return done(await d.poster.topLevel(d.route(e.deployment.service, 'high'), m, verdictLine(e)));
  }

  async function digest(channel: string, e: VerdictEvent): Promise<SendResult> {
    const now = d.now();
    const current = digests.get(channel);
    if (current && now - current.startedAt < DIGEST_MS) {
      current.lines.push(verdictLine(e));
      await d.poster.update(current, digestMessage(current.startedAt, current.lines));
      return done(current);
    }
    const lines = [verdictLine(e)];
    const where = await d.poster.topLevel(channel, digestMessage(now, lines), lines[0]!);
    if (!where.summary) digests.set(channel, { channel: where.channel, ts: where.ts, startedAt: now, lines });
    return done(where);
  }

  return async (e) => {
    try {
      if (e.verdict.outcome === 'fail') return await failed(e);
      if (d.mode === 'off') return done(null);
      const channel = d.route(e.deployment.service, 'low');
      if (d.mode === 'channel') return done(await d.poster.topLevel(channel, verdictMessage(e), verdictLine(e)));
      return await lock.run(channel, () => digest(channel, e));
    } catch (err) {
      const f = classify(err);
      d.log.warn(
        { deployment: e.deployment.id, retryable: f.retryable, err: f.message },
        'Slack verdict delivery failed',
      );
      return { ok: false, retryable: f.retryable, error: f.message };
    }
  };
}
