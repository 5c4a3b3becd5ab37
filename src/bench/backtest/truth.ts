/**
 * <scenario>/truth.json of the deploy-attribution scenarios: an array of
 * {service, start, end, kind, cause} with ISO-8601 UTC times and cause a
 * deploy id or null. Validated whole; the first bad entry is named.
 *
 * Effects: reads one file. Failure modes: VigilError E_SCENARIO_TRUTH
 * ("<path>[3].start: ...", unreadable file, not JSON, end before start).
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { VigilError } from '../../domain/index.js';
import type { TruthEvent } from './match.js';

const iso = z.string().transform((v, ctx) => {
  const t = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z$/.test(v) ? Date.parse(v) : NaN;
  if (!Number.isFinite(t)) {
    ctx.addIssue({ code: 'custom', message: 'an ISO-8601 UTC time such as "2026-05-13T07:30:00Z"' });
    return z.NEVER;
  }
  return t;
});

const event = z
  .object({
    service: z.string().min(1),
    start: iso,
    end: iso,
    kind: z.string().min(1),
    cause: z.string().min(1).nullable(),
  })
  .refine((e) => e.end >= e.start, { message: 'end is before start', path: ['end'] });

export function parseTruth(path: string, raw: unknown): TruthEvent[] {
  const parsed = z.array(event).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    throw new VigilError('E_SCENARIO_TRUTH', `${path}${where}: ${issue.message}`);
  }
  return parsed.data;
}

export async function readTruth(path: string): Promise<TruthEvent[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new VigilError('E_SCENARIO_TRUTH', `${path}: ${(err as Error).message}`, false, { cause: err });
  }
  return parseTruth(path, raw);
}
