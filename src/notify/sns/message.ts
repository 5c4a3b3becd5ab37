/**
 * Turns an event into what one Publish sends: Subject, body, attributes and
 * the FIFO ids. Pure.
 *
 * Why a plain String body and not MessageStructure 'json' (per-protocol
 * default/email/sms variants): SNS delivers message attributes only with a
 * String structure, and the attributes are what subscribers filter and
 * route on. So every protocol gets the same pretty-printed JSON document,
 * whose `summary` line comes first for people reading an email.
 *
 * Size: body, subject and attributes stay under LIMITS.messageBytes. Every
 * free-text field and list is capped (document.ts), which bounds the
 * document without its timeline well below the limit (lists of 20 items of
 * at most 1,000 characters, even at 6 bytes per escaped character); the
 * timeline keeps its newest entries that fit and counts the rest in
 * `timelineOmitted`.
 */
import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import { formatDuration } from '../../domain/duration.js';
import type { NotifyEvent, VerdictEvent } from '../types.js';
import { incidentDocument, timelineEntry, verdictDocument, verdictSeverity, type SnsEventType } from './document.js';
import { attributeValue, bytes, fifoId, LIMITS, subjectOf } from './text.js';

export interface Publication {
  readonly subject: string;
  readonly message: string;
  readonly attributes: Record<string, MessageAttributeValue>;
  /** For FIFO topics: ordering per service. */
  readonly groupId: string;
  /** For FIFO topics: the same event published twice (a retry) is delivered once. */
  readonly deduplicationId: string;
}

/** Attribute names subscribers filter on (docs/slack.md, SNS fan-out). */
export const ATTRIBUTES = { severity: 'severity', service: 'service', type: 'type', outcome: 'outcome' } as const;

function attributesOf(values: Record<string, string>): Record<string, MessageAttributeValue> {
  return Object.fromEntries(
    Object.entries(values).map(([name, v]) => [name, { DataType: 'String', StringValue: attributeValue(v) }]),
  );
}

function overheadBytes(subject: string, attributes: Record<string, MessageAttributeValue>): number {
  let n = bytes(subject);
  for (const [name, a] of Object.entries(attributes))
    n += bytes(name) + bytes(a.DataType ?? '') + bytes(a.StringValue ?? '');
  return n;
}

const render = (doc: Record<string, unknown>): string => JSON.stringify(doc, null, 2);

/** The document with the newest timeline entries that fit in `budget` bytes (binary search on how many). */
export function fitTimeline(doc: Record<string, unknown>, timeline: NotifyEvent['timeline'], budget: number): string {
  const entries = timeline.map(timelineEntry);
  const withNewest = (k: number) =>
    render({ ...doc, timeline: entries.slice(entries.length - k), timelineOmitted: entries.length - k });
  const full = withNewest(entries.length);
  if (bytes(full) <= budget) return full;
  let lo = 0;
  let hi = entries.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (bytes(withNewest(mid)) <= budget) lo = mid;
    else hi = mid - 1;
  }
  const fitted = withNewest(lo);
  // Unreachable with the caps in document.ts; kept so a future field cannot make Publish fail.
  return bytes(fitted) <= budget
    ? fitted
    : render({ version: doc['version'], type: doc['type'], summary: doc['summary'], truncated: true });
}

function subjectFor(e: NotifyEvent): string {
  const i = e.incident;
  const what =
    e.kind === 'resolved'
      ? `${i.headline.metric} after ${formatDuration(Math.max(0, (i.resolvedAt ?? i.lastAnomalyAt) - i.openedAt))}`
      : `${i.headline.metric} ${i.headline.kind.replace('_', ' ')}`;
  return subjectOf(`Vigil: ${e.kind.toUpperCase()} [${i.severity}] ${i.service} - ${what}`);
}

export function incidentPublication(e: NotifyEvent, url: string | null): Publication {
  const i = e.incident;
  const type: SnsEventType = `incident.${e.kind}`;
  const subject = subjectFor(e);
  const attributes = attributesOf({
    [ATTRIBUTES.severity]: i.severity,
    [ATTRIBUTES.service]: i.service,
    [ATTRIBUTES.type]: type,
  });
  const budget = LIMITS.messageBytes - LIMITS.marginBytes - overheadBytes(subject, attributes);
  return {
    subject,
    message: fitTimeline(incidentDocument(e, url), e.timeline, budget),
    attributes,
    groupId: fifoId(i.service),
    // The timeline length tells apart two updates at the same lastAnomalyAt (an ack, a note); a retry repeats it.
    deduplicationId: fifoId(`${i.id}:${e.kind}:${i.lastAnomalyAt}:${e.timeline.length}`),
  };
}

export function verdictPublication(e: VerdictEvent): Publication {
  const { verdict: v, deployment: d } = e;
  const subject = subjectOf(
    `Vigil: deploy ${v.outcome.toUpperCase()} ${v.service}${d.version ? ` ${d.version}` : ''} - ${v.summary}`,
  );
  const attributes = attributesOf({
    [ATTRIBUTES.severity]: verdictSeverity(v),
    [ATTRIBUTES.service]: v.service,
    [ATTRIBUTES.type]: 'deploy.verdict',
    [ATTRIBUTES.outcome]: v.outcome,
  });
  return {
    subject,
    message: render(verdictDocument(v, d)),
    attributes,
    groupId: fifoId(v.service),
    deduplicationId: fifoId(`verdict:${v.deploymentId}:${v.decidedAt}`),
  };
}
