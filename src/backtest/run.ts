/**
 * `vigil backtest <dir>`: recorded metrics and deployments through the real
 * pipeline (replay source -> detect -> incidents -> attribution -> verdicts)
 * on an in-memory store and the in-process queue, as fast as it goes.
 * Deploys enter the store as their start time is reached, as webhooks would
 * deliver them. At the end, a deploy not judged yet (its window ran past the
 * data) is judged on the data there is.
 */
import { join } from 'node:path';
import type { Config } from '../config/index.js';
import { judgeReadyDeploys } from '../correlate/index.js';
import { VigilError, type DeployVerdict, type Incident } from '../domain/index.js';
import { describeDeviation, describeGrowth, describeSpread } from '../incidents/index.js';
import { buildApp, recordedMetrics } from '../main.js';
import type { Logger } from '../observability/index.js';
import { driveVirtualTime } from '../sources/index.js';
import type { ReplayIssue } from '../sources/replay/index.js';
import { readDeployments } from './deployments.js';

export interface BacktestResult {
  readonly incidents: Array<{
    id: string;
    services: string[];
    series: string[];
    openedAt: string;
    resolvedAt: string | null;
    /** The headline's kind and one line (observed vs the pre-onset baseline). */
    kind: string;
    headline: string;
    /** For an incident several services joined: where the change started and who felt it after (co-onset grouping), else null. */
    spread: string | null;
    suspect: { deploymentId: string; confidence: number; reason: string } | null;
    /** Why attribution concluded what it did; always set when suspect is null ("no deploy suspected: ..."). */
    attribution: string;
    /** Every deploy attribution weighed (the suspect among them), by id. */
    weighed: string[];
    /** A resource growing towards its limit (a leak), as one line, or null. */
    growth: string | null;
  }>;
  readonly verdicts: Array<{
    deploymentId: string;
    verdict: DeployVerdict['outcome'];
    summary: string;
    /** The series the verdict found worse after the deploy. */
    worse: string[];
  }>;
  readonly seconds: number;
}

export interface BacktestOptions {
  readonly dir: string;
  readonly config: Config;
  readonly log: Logger;
  readonly onIssue?: (issue: ReplayIssue) => void;
  readonly onProgress?: (done: number, total: number) => void;
}

const TICK = 60 * 60_000;

export async function runBacktest(o: BacktestOptions): Promise<BacktestResult> {
  const started = Date.now();
  const deployments = await readDeployments(join(o.dir, 'deployments.json'));
  const source = recordedMetrics({ root: join(o.dir, 'metrics'), onIssue: o.onIssue });
  const range = await source.dataRange();
  if (!range) throw new VigilError('E_BACKTEST_EMPTY', `${join(o.dir, 'metrics')}: no CSV file has a valid point`);
  const app = await buildApp(
    { ...o.config, databaseUrl: null, redisUrl: null },
    { consume: ['pull', 'notify'], ephemeralStore: true, log: o.log, notifiers: [], compactEveryMs: null },
  );
  try {
    const pending = [...deployments].sort((a, b) => a.startedAt - b.startedAt);
    await driveVirtualTime({
      sources: [source],
      queue: app.queue,
      from: range.from,
      to: range.to,
      tickMs: TICK,
      beforeTick: async (_from, to) => {
        while (pending.length > 0 && pending[0]!.startedAt < to) await app.store.upsertDeployment(pending.shift()!);
      },
      afterTick: async (to) => {
        // Between ticks no job runs: embedded PGlite reclaims dead rows and WAL here, or memory grows with every tick.
        await app.store.compact();
        o.onProgress?.(to - range.from, range.to - range.from);
      },
    });
    for (const d of pending) await app.store.upsertDeployment(d);
    for (const service of new Set(deployments.map((d) => d.service))) {
      // Deploys whose window runs past the data: judged on what there is.
      await judgeReadyDeploys(service, range.to + 2 * app.deps.correlate.verdictWindow, {
        store: app.store,
        window: app.deps.correlate.verdictWindow,
        horizon: range.to - range.from + 2 * app.deps.correlate.verdictWindow,
      });
    }
    const incidents = (await app.store.listIncidents({ limit: 100_000 })).sort((a, b) => a.openedAt - b.openedAt);
    const verdicts = [];
    for (const d of deployments) {
      const v = await app.store.getVerdict(d.id);
      if (v)
        verdicts.push({
          deploymentId: d.id,
          verdict: v.outcome,
          summary: v.summary,
          worse: v.shifts.filter((s) => s.worse).map((s) => s.seriesKey),
        });
    }
    return { incidents: incidents.map(incidentJson), verdicts, seconds: Math.round((Date.now() - started) / 10) / 100 };
  } finally {
    await app.close();
  }
}

function incidentJson(i: Incident): BacktestResult['incidents'][number] {
  return {
    id: i.id,
    services: [...(i.services ?? [i.service])],
    series: [...i.seriesKeys],
    openedAt: new Date(i.openedAt).toISOString(),
    resolvedAt: i.resolvedAt === null ? null : new Date(i.resolvedAt).toISOString(),
    kind: i.headline.kind,
    headline: describeDeviation(i.headline),
    spread: describeSpread(i),
    suspect: i.suspect
      ? { deploymentId: i.suspect.deploymentId, confidence: i.suspect.confidence, reason: i.suspect.reason }
      : null,
    attribution:
      i.attribution ??
      (i.suspect ? i.suspect.reason : 'no deploy suspected: attribution did not run for this incident'),
    weighed: (i.suspects ?? []).map((s) => s.deploymentId),
    growth: i.growth ? describeGrowth(i.growth) : null,
  };
}
