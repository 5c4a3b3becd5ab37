/**
 * The Slack notifier: one message per incident, posted once and then edited
 * in place (chat.update); timeline entries as replies in its thread; the
 * chart uploaded into the thread with the first post.
 *
 * Effects: Web API calls; notification refs in the store.
 * Exactly-once posting: the ref is saved with ts NULL *before*
 * chat.postMessage and completed with the ts after it. Every post carries
 * metadata naming the incident. A later attempt that finds a NULL ts does
 * not know whether the earlier post landed (its response may have been
 * lost), so it looks for the incident's message in the channel history
 * first and adopts it; only when none is there does it post again.
 * 429s, storm mode (every top-level post counts) and skipping an edit that
 * changes nothing: poster.ts. Everything else fails retryably or not
 * (errors.ts) and the queue decides when to try again. Deploy verdicts:
 * verdicts.ts. Sends of one incident are serialised in the process (the
 * thread replies count must not race).
 */
import { describeDeviation, KeyedLock } from '../../incidents/index.js';
import type { NotificationRef, Store } from '../../store/types.js';
import { renderChartPng } from '../chart/index.js';
import type { ChartData, Notifier, NotifyEvent } from '../types.js';
import { incidentMessage } from './blocks.js';
import type { WebClient } from './client.js';
import { classify } from './errors.js';
import { createPoster } from './poster.js';
import type { Router } from './routing.js';
import { iso, shorten } from './text.js';
import { LIMITS, SLACK_NOTIFIER } from './types.js';
import { uploadToThread } from './upload.js';
import { createVerdictSender, type VerdictRoute } from './verdicts.js';

export const METADATA_EVENT = 'vigil_incident';

export interface SlackNotifierOptions {
  readonly client: WebClient;
  readonly store: Pick<Store, 'getNotificationRef' | 'saveNotificationRef' | 'listFeedback' | 'listIncidents'>;
  readonly route: Router;
  readonly stormPerMinute: number;
  /** Where pass and marginal deploy verdicts go (default digest); failed ones go to their incident's thread, else the channel. */
  readonly verdicts?: VerdictRoute;
  readonly log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Longest a call waits out Retry-Afters in-process, in all (default 60 s); beyond that the queue retries it. */
  readonly maxRateLimitWaitMs?: number;
  readonly renderChart?: (c: ChartData) => Buffer;
}

type Posted = NotificationRef & { readonly ts: string };

export function createSlackNotifier(o: SlackNotifierOptions): Notifier {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const poster = createPoster({
    client: o.client,
    stormPerMinute: o.stormPerMinute,
    now,
    sleep,
    maxWaitMs: o.maxRateLimitWaitMs ?? 60_000,
    log: o.log,
  });
  const { call } = poster;
  const { client, store } = o;
  // One send per incident at a time in this process: a person's refresh (bot) and a notify
  // job (e.g. remediation progress) would otherwise both reply the same timeline entry.
  const sending = new KeyedLock();

  /** Finds the message an earlier attempt may have posted (its response lost). */
  async function adoptLost(ref: NotificationRef, incidentId: string): Promise<Posted | null> {
    const history = await call(() =>
      client.conversations.history({
        channel: ref.channel,
        oldest: String((ref.postedAt - 60_000) / 1000),
        include_all_metadata: true,
        limit: 200,
      }),
    );
    const found = history.messages?.find(
      (m) =>
        m.metadata?.event_type === METADATA_EVENT &&
        (m.metadata.event_payload as Record<string, unknown> | undefined)?.['incident_id'] === incidentId,
    );
    if (!found?.ts) return null;
    const adopted = { ...ref, ts: found.ts };
    await store.saveNotificationRef(SLACK_NOTIFIER, incidentId, adopted);
    o.log.info({ incident: incidentId, ts: found.ts }, 'adopted the Slack message of an earlier attempt');
    return adopted;
  }

  async function render(e: NotifyEvent) {
    const feedback = await store.listFeedback({ seriesKey: e.incident.headline.seriesKey });
    return incidentMessage(e, { feedbackId: feedback.find((f) => f.incidentId === e.incident.id)?.id ?? null });
  }

  /** Posts the incident (or, in a storm, its line in the summary); the ref is saved with ts NULL before the post. */
  async function post(channel: string, e: NotifyEvent): Promise<Posted | null> {
    const i = e.incident;
    const postedAt = now();
    const m = await render(e);
    // A summary line has no buttons: it names the recommended playbook and the command that runs it.
    const run = e.playbook ? `; recommended \`${e.playbook.name}\`: \`/vigil run ${e.playbook.name} ${i.id}\`` : '';
    const line = shorten(`[${i.severity}] ${i.service}: ${describeDeviation(i.headline)} (\`${i.id}\`${run})`, 400);
    const where = await poster.topLevel(channel, m, line, {
      extra: { metadata: { event_type: METADATA_EVENT, event_payload: { incident_id: i.id } } },
      beforePost: () => store.saveNotificationRef(SLACK_NOTIFIER, i.id, { channel, ts: null, postedAt }),
    });
    if (where.summary) {
      await store.saveNotificationRef(SLACK_NOTIFIER, i.id, {
        channel: where.channel,
        ts: where.ts,
        postedAt: now(),
        summary: true,
      });
      return null;
    }
    const ref: Posted = { channel: where.channel, ts: where.ts, postedAt, replied: 0 };
    await store.saveNotificationRef(SLACK_NOTIFIER, i.id, ref);
    if (e.chart) {
      const chart = e.chart;
      // The post stands without its chart: an upload failure is logged, not retried.
      await call(() =>
        uploadToThread(client, {
          channel: ref.channel,
          threadTs: ref.ts,
          filename: `${i.id}.png`,
          title: chart.title,
          bytes: (o.renderChart ?? renderChartPng)(chart),
        }),
      ).catch((err: unknown) =>
        o.log.warn({ incident: i.id, err: classify(err).message }, 'chart upload to Slack failed'),
      );
    }
    return ref;
  }

  /** Posts the timeline entries not yet in the thread, saving progress after each. */
  async function replyTimeline(ref: Posted, e: NotifyEvent): Promise<Posted> {
    const entries = e.timeline.filter((t) => t.kind !== 'opened');
    let current = ref;
    for (const entry of entries.slice(ref.replied ?? 0)) {
      await call(() =>
        client.chat.postMessage({
          channel: ref.channel,
          thread_ts: ref.ts,
          text: shorten(`${iso(entry.at)} · ${entry.kind}: ${entry.text}`, LIMITS.fallbackText),
        }),
      );
      current = { ...current, replied: (current.replied ?? 0) + 1 };
      await store.saveNotificationRef(SLACK_NOTIFIER, e.incident.id, current);
    }
    return current;
  }

  const notifier: Notifier = {
    name: SLACK_NOTIFIER,
    wantsChart: true,
    async send(e) {
      const id = e.incident.id;
      try {
        const saved = await store.getNotificationRef(SLACK_NOTIFIER, id);
        if (saved?.summary) return { ok: true, ref: `${saved.channel}/${saved.ts}` };
        let ref: Posted | null =
          saved && saved.ts !== null ? { ...saved, ts: saved.ts } : saved ? await adoptLost(saved, id) : null;
        if (ref) {
          // Edited whenever the rendering changed (a new headline, severity, suspect, playbook); an identical one is skipped.
          await poster.update(ref, await render(e));
        } else {
          ref = await post(o.route(e.incident.service, e.incident.severity), e);
          if (!ref) {
            const summary = await store.getNotificationRef(SLACK_NOTIFIER, id);
            return { ok: true, ref: summary ? `${summary.channel}/${summary.ts}` : null };
          }
        }
        ref = await replyTimeline(ref, e);
        return { ok: true, ref: `${ref.channel}/${ref.ts}` };
      } catch (err) {
        const f = classify(err);
        o.log.warn({ incident: id, retryable: f.retryable, err: f.message }, 'Slack notification failed');
        return { ok: false, retryable: f.retryable, error: f.message };
      }
    },
    // A failed verdict waits for its incident's post in flight, so it lands in that post's thread.
    sendVerdict: createVerdictSender({
      poster,
      store,
      route: o.route,
      mode: o.verdicts ?? 'digest',
      now,
      log: o.log,
      settled: (id) => sending.run(id, async () => {}),
    }),
  };
  return { ...notifier, send: (e) => sending.run(e.incident.id, () => notifier.send(e)) };
}
