/**
 * Vigil's own labelled simulator scenarios (seeds first..seeds through the
 * real pipeline via the demo), shared by `vigil bench scenarios` and
 * `vigil bench all`. Effects: runs the demo per seed (embedded store, no
 * notifications); one stderr line per seed.
 */
import { scoreScenarios, type ScenarioReport } from '../bench/scenarios.js';
import type { DemoSummary } from '../bench/index.js';
import { parseOptions, runDemo } from './demo.js';

export interface SimOptions {
  readonly first: number;
  readonly seeds: number;
  readonly duration: string;
  readonly services: string;
}

export async function runSimulated(o: SimOptions, stderr: NodeJS.WritableStream): Promise<ScenarioReport> {
  const runs: DemoSummary[] = [];
  for (let seed = o.first; seed <= o.seeds; seed++) {
    const run = await runDemo(
      parseOptions({ seed: String(seed), duration: o.duration, services: o.services, json: true }),
    );
    const caught = run.injected.filter((e) => e.detectedBy).length;
    stderr.write(
      `scenario ${seed}/${o.seeds}: ${caught}/${run.injected.length} injected events caught, ${run.incidents.length} incidents, ${run.seconds.toFixed(1)} s\n`,
    );
    runs.push(run);
  }
  return scoreScenarios(runs);
}

export function scenarioTable(r: ScenarioReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    `scenarios: ${r.seeds}`,
    `incident recall     ${pct(r.recall)} (${r.detected}/${r.injected} injected events)`,
    `incident precision  ${pct(r.precision)} (${r.matched}/${r.incidents} incidents)`,
    `top-1 attribution   ${pct(r.top1Accuracy)} (${r.top1}/${r.causedDetected} deploy-caused events detected)`,
    `false blame         ${pct(r.falseBlameRate)} (${r.falseBlamed}/${r.innocentIncidents} incidents with no deploy behind them)`,
    `median delay        ${r.medianDelaySamples ?? 'n/a'} samples after onset`,
    `duplicate pages     ${r.duplicates} (incidents covering an event an earlier incident covers)`,
    `inherited           ${r.inherited} of the detected events (covered only by an incident opened for another event)`,
  ].join('\n');
}
