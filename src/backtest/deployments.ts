/**
 * <dir>/deployments.json of `vigil backtest`: an array of
 * {id, service, startedAt, finishedAt?, version?, actor?, strategy?}, times as ISO-8601,
 * "YYYY-MM-DD HH:MM:SS" (UTC) or epoch numbers. Validated whole; the first
 * bad entry is named (E_BACKTEST_DEPLOYMENTS "deployments.json[3].startedAt: ...").
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { VigilError, type Deployment } from '../domain/index.js';
import { parseTimestamp } from '../sources/replay/index.js';

const time = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const t = typeof v === 'number' ? (v < 1e11 ? v * 1000 : v) : parseTimestamp(v.trim());
  if (t === null || !Number.isFinite(t)) {
    ctx.addIssue({ code: 'custom', message: 'a time such as "2026-03-01T12:00:00Z" or "2026-03-01 12:00:00"' });
    return z.NEVER;
  }
  return t;
});

const entry = z
  .object({
    id: z.string().min(1),
    service: z.string().min(1),
    startedAt: time,
    finishedAt: time.nullish(),
    version: z.string().nullish(),
    actor: z.string().nullish(),
    // How the new version reached traffic: rollback playbooks and the post show it.
    strategy: z.enum(['all-at-once', 'rolling', 'blue-green', 'canary', 'linear']).nullish(),
  })
  .passthrough()
  .refine((d) => d.finishedAt == null || d.finishedAt >= d.startedAt, {
    message: 'finishedAt is before startedAt',
    path: ['finishedAt'],
  });

export async function readDeployments(path: string): Promise<Deployment[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new VigilError('E_BACKTEST_DEPLOYMENTS', `${path}: ${(err as Error).message}`);
  }
  const parsed = z.array(entry).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    throw new VigilError('E_BACKTEST_DEPLOYMENTS', `deployments.json${where}: ${issue.message}`);
  }
  const ids = new Set<string>();
  return parsed.data.map((d, i) => {
    if (ids.has(d.id))
      throw new VigilError('E_BACKTEST_DEPLOYMENTS', `deployments.json[${i}].id: "${d.id}" appears twice`);
    ids.add(d.id);
    return {
      id: d.id,
      service: d.service,
      environment: 'backtest',
      version: d.version ?? null,
      startedAt: d.startedAt,
      finishedAt: d.finishedAt ?? null,
      status: 'succeeded',
      actor: d.actor ?? null,
      source: 'backtest',
      url: null,
      strategy: d.strategy ?? null,
    };
  });
}
