/**
 * Block Kit for incident posts and deploy verdicts. Pure. Every text is cut
 * to Slack's limits (types.ts LIMITS) with an ellipsis; a message never has
 * more than 50 blocks. The content is the console notifier's: what is wrong,
 * where, since when, expected vs observed, severity, suspected deploy (or
 * "no deploy suspected"), the recommended playbook, and buttons.
 */
import { formatDuration } from '../../domain/duration.js';
import type { Incident } from '../../domain/index.js';
import { describeDeviation, describeGrowth, describeSpread, formatValue } from '../../incidents/index.js';
import type { NotifyEvent, VerdictEvent } from '../types.js';
import { iso, mrkdwn, shorten } from './text.js';
import { ACTIONS, LIMITS, type ButtonValue } from './types.js';

export interface TextObject {
  readonly type: 'plain_text' | 'mrkdwn';
  readonly text: string;
  readonly emoji?: boolean;
}
export interface Button {
  readonly type: 'button';
  readonly text: TextObject;
  readonly action_id: string;
  readonly value: string;
  readonly style?: 'primary' | 'danger';
}
export type Block =
  | { readonly type: 'header'; readonly text: TextObject }
  | { readonly type: 'section'; readonly text: TextObject; readonly fields?: readonly TextObject[] }
  | { readonly type: 'context'; readonly elements: readonly TextObject[] }
  | { readonly type: 'actions'; readonly block_id?: string; readonly elements: readonly Button[] }
  | { readonly type: 'divider' };

export interface Message {
  readonly text: string;
  readonly blocks: readonly Block[];
}

export interface IncidentView {
  /** The active "not an anomaly" feedback on this incident, when there is one (shows an undo button). */
  readonly feedbackId?: string | null;
}

const SEVERITY_ICON = { low: '🔵', medium: '🟡', high: '🟠', critical: '🔴' } as const;

export const header = (text: string): Block => ({
  type: 'header',
  text: { type: 'plain_text', text: shorten(text, LIMITS.headerText), emoji: true },
});
export const section = (text: string): Block => ({
  type: 'section',
  text: { type: 'mrkdwn', text: shorten(text, LIMITS.sectionText) },
});
export const context = (text: string): Block => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: shorten(text, LIMITS.contextText) }],
});

export function button(label: string, actionId: string, value: ButtonValue, style?: 'primary' | 'danger'): Button {
  let v: ButtonValue = value;
  // A playbook name too long for the value is dropped rather than cut (a cut name names another playbook).
  if (JSON.stringify(v).length > LIMITS.buttonValue) v = { incidentId: v.incidentId };
  const json = JSON.stringify(v);
  if (json.length > LIMITS.buttonValue) throw new RangeError(`button value over ${LIMITS.buttonValue} characters`);
  return {
    type: 'button',
    text: { type: 'plain_text', text: shorten(label, LIMITS.buttonText), emoji: true },
    action_id: actionId,
    value: json,
    ...(style ? { style } : {}),
  };
}

/** Keeps at most 50 blocks: the last kept one says how many were left out. */
export function capBlocks(blocks: readonly Block[]): Block[] {
  if (blocks.length <= LIMITS.blocks) return [...blocks];
  const kept = blocks.slice(0, LIMITS.blocks - 1);
  return [...kept, context(`… ${blocks.length - kept.length} more not shown`)];
}

function title(i: Incident, kind: NotifyEvent['kind']): string {
  const state =
    kind === 'resolved' || i.status === 'resolved'
      ? '✅ Resolved'
      : kind === 'opened'
        ? `${SEVERITY_ICON[i.severity]} Opened`
        : `${SEVERITY_ICON[i.severity]} Ongoing`;
  return `${state} [${i.severity}] ${i.service} — ${i.headline.metric} ${i.headline.kind.replace('_', ' ')}`;
}

function suspectText(e: NotifyEvent): string {
  const i = e.incident;
  if (i.suspect && e.suspect) {
    const d = e.suspect;
    const link = d.url ? `<${d.url}|${mrkdwn(d.id, 200)}>` : `\`${mrkdwn(d.id, 200)}\``;
    return (
      `*Suspected deploy* ${link}${d.version ? ` (${mrkdwn(d.version, 100)})` : ''} of ${mrkdwn(d.service, 200)} at ${iso(d.startedAt)}, ` +
      `confidence ${(i.suspect.confidence * 100).toFixed(0)}%\n${mrkdwn(i.suspect.reason, 1500)}`
    );
  }
  return `*No deploy suspected*${i.attribution ? `\n${mrkdwn(i.attribution, 1500)}` : ''}`;
}

function whereText(i: Incident): string {
  const services =
    i.services && i.services.length > 1 ? ` (services ${i.services.map((s) => mrkdwn(s, 100)).join(', ')})` : '';
  const shown = i.seriesKeys.slice(0, 8).map((k) => `\`${mrkdwn(k, 250)}\``);
  const more = i.seriesKeys.length > shown.length ? `, and ${i.seriesKeys.length - shown.length} more` : '';
  const spread = describeSpread(i);
  return `*Where* ${mrkdwn(i.service, 200)}${services}: ${i.seriesKeys.length} series: ${shown.join(', ')}${more}${spread ? `\n${mrkdwn(spread, 500)}` : ''}`;
}

export function incidentMessage(e: NotifyEvent, view: IncidentView = {}): Message {
  const i = e.incident;
  const h = i.headline;
  const resolved = i.status === 'resolved';
  const since = resolved
    ? `*Since* ${iso(i.openedAt)}, resolved ${iso(i.resolvedAt ?? i.lastAnomalyAt)} after ${formatDuration((i.resolvedAt ?? i.lastAnomalyAt) - i.openedAt)}`
    : `*Since* ${iso(i.openedAt)}; last anomaly ${iso(i.lastAnomalyAt)}`;
  const blocks: Block[] = [
    header(title(i, e.kind)),
    section(
      `*What* ${mrkdwn(describeDeviation(h), 1000)}\n*Expected* ${formatValue(h.expected)} (band ${formatValue(h.band[0])} to ${formatValue(h.band[1])}), *observed* ${formatValue(h.observed)}\n${since}${i.growth ? `\n*Growing* ${mrkdwn(describeGrowth(i.growth), 500)}` : ''}\n*Severity* ${i.severity}, ${i.anomalyCount} anomalies`,
    ),
    section(whereText(i)),
    section(suspectText(e)),
  ];
  if (e.playbook)
    blocks.push(
      section(
        `*Recommended playbook* \`${mrkdwn(e.playbook.name, 200)}\`: ${mrkdwn(e.playbook.title, 500)}${e.playbook.reason ? `\n_Why_: ${mrkdwn(e.playbook.reason, 500)}` : ''}`,
      ),
    );
  if (i.acknowledged)
    blocks.push(context(`Acknowledged by <@${mrkdwn(i.acknowledged.by, 100)}> at ${iso(i.acknowledged.at)}`));
  const value: ButtonValue = { incidentId: i.id };
  const buttons: Button[] = [];
  if (!resolved) {
    if (!i.acknowledged) buttons.push(button('Acknowledge', ACTIONS.ack, value, 'primary'));
    buttons.push(button('Resolve', ACTIONS.resolve, value), button('Silence 1h', ACTIONS.silence, value));
  }
  buttons.push(
    view.feedbackId
      ? button('Undo "not an anomaly"', ACTIONS.unfeedback, { incidentId: i.id, feedbackId: view.feedbackId })
      : button('Not an anomaly', ACTIONS.notAnomaly, value),
  );
  if (e.playbook && !resolved)
    buttons.push(
      button(
        `Run playbook ${e.playbook.name}`,
        ACTIONS.runPlaybook,
        { incidentId: i.id, playbook: e.playbook.name },
        'danger',
      ),
    );
  blocks.push({ type: 'actions', block_id: 'vigil_incident', elements: buttons });
  blocks.push(context(`Incident \`${mrkdwn(i.id, 200)}\` · Vigil`));
  const text = shorten(`${title(i, e.kind)}: ${describeDeviation(h)}`, LIMITS.fallbackText);
  return { text, blocks: capBlocks(blocks) };
}

const OUTCOME_ICON = { pass: '✅', marginal: '🟡', fail: '🔴', inconclusive: '⚪' } as const;

export function verdictMessage(e: VerdictEvent): Message {
  const { verdict: v, deployment: d } = e;
  const head = `${OUTCOME_ICON[v.outcome]} Deploy verdict: ${v.outcome} — ${d.service}${d.version ? ` ${d.version}` : ''}`;
  const lines = v.shifts.map((s) => {
    const arrow = s.afterMedian > s.beforeMedian ? '↑' : s.afterMedian < s.beforeMedian ? '↓' : '→';
    const climb = s.trend
      ? `, ${s.trend.perMinute >= 0 ? 'climbing +' : 'falling '}${s.trend.perMinute.toPrecision(2)} a minute`
      : '';
    const flag = (s.moved ? (s.worse ? ' *worse*' : ' better') : '') + climb;
    return `• ${mrkdwn(s.metric, 200)} ${formatValue(s.beforeMedian)} ${arrow} ${formatValue(s.afterMedian)} (p=${s.pValue < 0.001 ? '<0.001' : s.pValue.toFixed(3)})${flag}`;
  });
  const blocks: Block[] = [header(head), section(mrkdwn(v.summary, 2000))];
  // Shift lines are grouped into sections of at most 3,000 characters; capBlocks bounds the count.
  let chunk = '';
  for (const line of lines) {
    if (chunk && chunk.length + line.length + 1 > LIMITS.sectionText) {
      blocks.push(section(chunk));
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${line}` : line;
  }
  if (chunk) blocks.push(section(chunk));
  blocks.push(context(`Deployment \`${mrkdwn(d.id, 200)}\` started ${iso(d.startedAt)} · decided ${iso(v.decidedAt)}`));
  return { text: shorten(`${head}: ${v.summary}`, LIMITS.fallbackText), blocks: capBlocks(blocks) };
}
