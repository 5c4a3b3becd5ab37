/**
 * Answers one parsed command. Reads the store for the read-only commands
 * and calls operations.ts for the rest. Never throws: any failure becomes
 * a short message (the error is logged by the caller's handler).
 */
import { formatDuration } from '../../domain/duration.js';
import { wrapError } from '../../domain/errors.js';
import { describeDeviation, formatValue } from '../../incidents/index.js';
import type { Store } from '../../store/types.js';
import { capBlocks, context, incidentMessage, section, verdictMessage, type Block } from './blocks.js';
import { USAGE, type Command } from './commands.js';
import * as ops from './operations.js';
import { iso, mrkdwn } from './text.js';

export interface Reply {
  readonly text: string;
  readonly blocks?: readonly Block[];
}

const text = (t: string): Reply => ({ text: t, blocks: [section(t)] });
const DAY = 86_400_000;

export async function answer(cmd: Command, user: string, d: ops.OperationDeps): Promise<Reply> {
  try {
    return await dispatch(cmd, user, d);
  } catch (err) {
    return text(`Sorry, that failed: ${wrapError(err).message}`);
  }
}

async function dispatch(cmd: Command, user: string, d: ops.OperationDeps): Promise<Reply> {
  const { store } = d;
  switch (cmd.name) {
    case 'help':
      return text(USAGE);
    case 'usage':
      return text(`${cmd.problem ? `${cmd.problem}.\n\n` : ''}${USAGE}`);
    case 'status':
      return status(store, d.now());
    case 'incidents': {
      const open = await store.listIncidents({ status: 'open', limit: 30 });
      if (open.length === 0) return text('No open incidents. :white_check_mark:');
      const lines = open.map(
        (i) =>
          `• \`${i.id}\` [${i.severity}] *${mrkdwn(i.service, 100)}* — ${mrkdwn(describeDeviation(i.headline), 300)} (since ${iso(i.openedAt)}${i.acknowledged ? ', acked' : ''})`,
      );
      return {
        text: `${open.length} open incidents`,
        blocks: capBlocks([
          section(`*${open.length} open incident${open.length === 1 ? '' : 's'}*`),
          ...lines.map(section),
        ]),
      };
    }
    case 'show': {
      const i = await store.getIncident(cmd.incidentId);
      if (!i) return text(`No incident \`${mrkdwn(cmd.incidentId, 100)}\`.`);
      const [timeline, suspect, playbook] = await Promise.all([
        store.timeline(i.id),
        i.suspect ? store.getDeployment(i.suspect.deploymentId) : null,
        d.recommend ? d.recommend(i) : null,
      ]);
      // The same blocks as the incident post: the recommended playbook, why it was chosen, and its Run button.
      const m = incidentMessage({ kind: 'updated', incident: i, timeline, suspect, playbook });
      const recent = timeline
        .slice(-10)
        .map((t) => `${iso(t.at)} · ${t.kind}: ${mrkdwn(t.text, 300)}`)
        .join('\n');
      return { text: m.text, blocks: capBlocks([...m.blocks, ...(recent ? [context(recent)] : [])]) };
    }
    case 'ack':
      return text((await ops.ack(d, cmd.incidentId, user)).text);
    case 'resolve':
      return text((await ops.resolve(d, cmd.incidentId, user)).text);
    case 'silence':
      return text((await ops.silence(d, cmd.target, cmd.durationMs, cmd.reason, user)).text);
    case 'unsilence':
      return text((await ops.unsilence(d, cmd.silenceId, user)).text);
    case 'unfeedback':
      return text((await ops.unfeedback(d, cmd.feedbackId, user)).text);
    case 'run':
      return text((await ops.runPlaybook(d, cmd.playbook, cmd.incidentId, user)).text);
    case 'deploys': {
      const list = (
        await store.listDeployments({ ...(cmd.service ? { service: cmd.service } : {}), since: d.now() - 7 * DAY })
      )
        .slice(-15)
        .reverse();
      if (list.length === 0)
        return text(`No deploys in the last 7 days${cmd.service ? ` of ${mrkdwn(cmd.service, 100)}` : ''}.`);
      return text(
        list
          .map(
            (x) =>
              `• \`${mrkdwn(x.id, 100)}\` ${mrkdwn(x.service, 100)} ${mrkdwn(x.version ?? '', 60)} ${x.status} at ${iso(x.startedAt)}${x.actor ? ` by ${mrkdwn(x.actor, 60)}` : ''}`,
          )
          .join('\n'),
      );
    }
    case 'verdict': {
      const [verdict, deployment] = await Promise.all([
        store.getVerdict(cmd.deploymentId),
        store.getDeployment(cmd.deploymentId),
      ]);
      if (!verdict || !deployment)
        return text(
          `No verdict for deployment \`${mrkdwn(cmd.deploymentId, 100)}\` (yet): verdicts come one verdict window after the deploy.`,
        );
      return verdictMessage({ verdict, deployment });
    }
    case 'explain':
      return explain(store, cmd.seriesKey);
  }
}

async function status(store: Store, now: number): Promise<Reply> {
  const [open, silences, feedback] = await Promise.all([
    store.listIncidents({ status: 'open', limit: 500 }),
    store.listActiveSilences(now),
    store.listFeedback({}),
  ]);
  const bySeverity = ['critical', 'high', 'medium', 'low']
    .map((s) => `${open.filter((i) => i.severity === s).length} ${s}`)
    .join(', ');
  const lines = [
    `*Open incidents*: ${open.length}${open.length ? ` (${bySeverity}; ${open.filter((i) => i.acknowledged).length} acknowledged)` : ''}`,
    `*Active silences*: ${silences.length}${silences.map((s) => `\n• \`${s.id}\` ${s.target.kind} \`${mrkdwn(s.target.value, 200)}\` for ${formatDuration(s.until - now)} more${s.reason ? ` (${mrkdwn(s.reason, 200)})` : ''}`).join('')}`,
    `*"Not an anomaly" feedback in force*: ${feedback.length}`,
    `*Store*: ${store.backend}`,
  ];
  return text(lines.join('\n'));
}

/** Baseline and band from the series' recent anomalies and detector state, recent scores, feedback. */
async function explain(store: Store, seriesKey: string): Promise<Reply> {
  const [ref, snapshot] = await Promise.all([store.getSeries(seriesKey), store.loadDetectorState(seriesKey)]);
  if (!ref)
    return text(
      `No series \`${mrkdwn(seriesKey, 300)}\`. Series keys look like \`source:metric{label="value"}\`; \`/vigil show <incident>\` lists an incident's.`,
    );
  const last = snapshot?.lastT ?? Date.now();
  const [anomalies, points, feedback] = await Promise.all([
    store.listAnomalies({ seriesKey, since: last - 7 * DAY, until: last + 1 }),
    store.listPoints(seriesKey, { from: last - 3_600_000, to: last + 1 }),
    store.listFeedback({ seriesKey, includeRevoked: true }),
  ]);
  const lines = [
    `*${mrkdwn(ref.metric, 200)}* of *${mrkdwn(ref.service, 200)}* (\`${mrkdwn(seriesKey, 300)}\`, source ${ref.source})`,
  ];
  lines.push(
    snapshot
      ? `*Detector*: state saved, last point scored ${iso(snapshot.lastT)}`
      : '*Detector*: no state yet (cold start: nothing scored)',
  );
  if (points.length > 0) {
    const vs = points.map((p) => p.v).sort((a, b) => a - b);
    lines.push(
      `*Last hour*: ${points.length} points, min ${formatValue(vs[0]!)}, median ${formatValue(vs[Math.floor(vs.length / 2)]!)}, max ${formatValue(vs[vs.length - 1]!)}`,
    );
  }
  const latest = anomalies.at(-1);
  lines.push(
    latest
      ? `*Baseline at the last anomaly* (${iso(latest.t)}): expected ${formatValue(latest.expected)}, band ${formatValue(latest.band[0])} to ${formatValue(latest.band[1])}`
      : '*Baseline*: no anomaly in the last 7 days, so no band to show',
  );
  if (anomalies.length > 0) {
    lines.push(`*Recent scores* (${anomalies.length} anomalies in 7 days):`);
    for (const a of anomalies.slice(-8).reverse())
      lines.push(
        `• ${iso(a.t)} ${a.kind.replace('_', ' ')} score ${a.score.toFixed(2)}: ${formatValue(a.observed)} vs ${formatValue(a.expected)}`,
      );
  }
  lines.push(feedback.length === 0 ? '*Feedback*: none' : '*Feedback*:');
  for (const f of feedback) {
    lines.push(
      `• \`${f.id}\` not an anomaly: ${f.kind.replace('_', ' ')}s up to ${f.deviation.toFixed(1)} band widths, by <@${f.createdBy}> ${iso(f.createdAt)}${f.revokedAt !== null ? ` — revoked by <@${f.revokedBy ?? '?'}> ${iso(f.revokedAt)}` : ''}`,
    );
  }
  return { text: `explain ${seriesKey}`, blocks: capBlocks([section(lines.join('\n'))]) };
}
