/**
 * The simulator as a MetricSource: one query per service, whose params carry
 * the whole spec, so any process can serve any query without shared state.
 * Effects: none (in-memory memo of built worlds). Failures, all VigilErrors,
 * not retryable: E_SIM_OPTIONS (bad options), E_SIM_QUERY (a query this
 * source cannot serve), E_SIM_RANGE (non-finite or oversized range).
 * An aborted signal rejects with the signal's reason.
 */
import { z } from 'zod';
import { VigilError, seriesKey } from '../../domain/index.js';
import type { Series, TimeRange } from '../../domain/index.js';
import type { MetricSource, SourceQuery } from '../types.js';
import { simulatedValueAt, type SimulatedValue } from './counterfactual.js';
import { SOURCE_ID, buildWorld, generateSeries, stepRange } from './generate.js';
import type { World } from './generate.js';
import { MAX_SERVICES } from './profiles.js';
import { SIM_METRICS } from './types.js';
import type { Scenario, SimMetric, SimSpec, SimulatorOptions } from './types.js';

export interface Simulator extends MetricSource {
  /** Ground truth: services, deployments and injected incidents. */
  scenario(): Scenario;
  /**
   * Ground truth of one of this simulator's series (by its key) at `t`: the
   * value generated and the value with no injected incident (counterfactual.ts).
   * null for a key that names none of its series, or a `t` with no sample.
   */
  valueAt(seriesKey: string, t: number): SimulatedValue | null;
}

const DAY = 86_400_000;
/** Largest fetch, in samples per series: a year of minutes, far above any sane window. */
const MAX_STEPS = 526_000;
const WORLD_MEMO = 8;

const specSchema = z
  .object({
    seed: z.number().int().refine(Number.isSafeInteger, 'a safe integer'),
    start: z.number().int().refine(Number.isSafeInteger, 'a safe integer (epoch ms)'),
    stepMs: z.number().int().min(1000).max(DAY),
    services: z.number().int().min(1).max(MAX_SERVICES),
    durationMs: z
      .number()
      .int()
      .min(60_000)
      .max(400 * DAY),
  })
  .strict();
const paramsSchema = specSchema.extend({ service: z.string().min(1) }).strict();

function describe(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

function parseQuery(query: SourceQuery): SimSpec & { service: string } {
  const params = paramsSchema.safeParse(query.params);
  if (!params.success) throw new VigilError('E_SIM_QUERY', `simulator query ${query.id}: ${describe(params.error)}`);
  return params.data;
}

/** Rebuilds the simulator a query came from (for a worker that only has the query). E_SIM_QUERY if params are invalid. */
export function createSimulatorFromQuery(query: SourceQuery): Simulator {
  const { service: _service, ...spec } = parseQuery(query);
  return createSimulator(spec);
}

export function createSimulator(opts: SimulatorOptions): Simulator {
  const parsed = specSchema.safeParse({
    seed: opts.seed,
    start: opts.start,
    stepMs: opts.stepMs ?? 60_000,
    services: opts.services ?? 4,
    durationMs: opts.durationMs ?? DAY,
  });
  if (!parsed.success) throw new VigilError('E_SIM_OPTIONS', `simulator options: ${describe(parsed.error)}`);
  const own = buildWorld(parsed.data);
  // Worlds for queries built by other simulator instances (other seeds/specs).
  const memo = new Map<string, World>([[JSON.stringify(own.spec), own]]);

  const worldFor = (spec: SimSpec): World => {
    const k = JSON.stringify({
      seed: spec.seed,
      start: spec.start,
      stepMs: spec.stepMs,
      services: spec.services,
      durationMs: spec.durationMs,
    });
    let world = memo.get(k);
    if (!world) {
      world = buildWorld(spec);
      if (memo.size >= WORLD_MEMO) {
        const oldest = [...memo.keys()].find((key) => memo.get(key) !== own);
        if (oldest !== undefined) memo.delete(oldest);
      }
      memo.set(k, world);
    }
    return world;
  };

  const ownKeys = new Map<string, { service: string; metric: SimMetric }>();
  for (const { name } of own.scenario.services)
    for (const metric of SIM_METRICS)
      ownKeys.set(seriesKey(SOURCE_ID, metric, { service: name }), { service: name, metric });

  return {
    id: SOURCE_ID,
    stepMs: own.spec.stepMs,
    scenario: () => own.scenario,
    valueAt(key, t) {
      const series = ownKeys.get(key);
      return series ? simulatedValueAt(own, series.service, series.metric, t) : null;
    },
    async queries(): Promise<SourceQuery[]> {
      return own.scenario.services.map((s) => ({
        sourceId: SOURCE_ID,
        id: `${SOURCE_ID}:${s.name}`,
        params: { ...own.spec, service: s.name },
      }));
    },
    async fetch(query: SourceQuery, range: TimeRange, signal?: AbortSignal): Promise<Series[]> {
      signal?.throwIfAborted();
      if (query.sourceId !== SOURCE_ID) {
        throw new VigilError(
          'E_SIM_QUERY',
          `simulator cannot serve a query of source "${query.sourceId}" (${query.id})`,
        );
      }
      const { service, ...spec } = parseQuery(query);
      const world = worldFor(spec);
      const profile = world.profiles.get(service);
      if (!profile)
        throw new VigilError(
          'E_SIM_QUERY',
          `simulator query ${query.id}: no service "${service}" among ${spec.services}`,
        );
      if (!Number.isFinite(range.from) || !Number.isFinite(range.to)) {
        throw new VigilError('E_SIM_RANGE', `simulator range must be finite, got [${range.from}, ${range.to})`);
      }
      const { first, end } = stepRange(spec, range);
      if (end - first > MAX_STEPS) {
        throw new VigilError(
          'E_SIM_RANGE',
          `simulator range of ${end - first} samples exceeds ${MAX_STEPS}; fetch it in pieces`,
        );
      }
      return generateSeries(world, profile, range);
    },
  };
}
