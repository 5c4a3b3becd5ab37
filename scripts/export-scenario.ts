/**
 * Writes a simulator scenario in `vigil backtest` layout, for trying the
 * command and for tests: <out>/metrics/<service>/<metric>.csv and
 * <out>/deployments.json, plus <out>/truth.json (the injected incidents).
 * Usage: npx tsx scripts/export-scenario.ts <out> [seed=1] [hours=24]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSimulator } from '../src/sources/simulator/index.js';

const [out, seedArg = '1', hoursArg = '24'] = process.argv.slice(2);
if (!out) {
  process.stderr.write('usage: npx tsx scripts/export-scenario.ts <out> [seed] [hours]\n');
  process.exit(2);
}
const start = Date.UTC(2026, 0, 5);
const durationMs = Number(hoursArg) * 3_600_000;
const sim = createSimulator({ seed: Number(seedArg), start, services: 4, durationMs });
const scenario = sim.scenario();
const series = [];
for (const query of await sim.queries())
  series.push(...(await sim.fetch(query, { from: start, to: start + durationMs })));
for (const s of series) {
  const dir = join(out, 'metrics', s.ref.service);
  mkdirSync(dir, { recursive: true });
  const rows = s.points.map((p) => `${new Date(p.t).toISOString().replace('T', ' ').slice(0, 19)},${p.v}`);
  writeFileSync(join(dir, `${s.ref.metric}.csv`), `timestamp,value\n${rows.join('\n')}\n`);
}
writeFileSync(
  join(out, 'deployments.json'),
  JSON.stringify(
    scenario.deployments.map((d) => ({
      id: d.id,
      service: d.service,
      startedAt: new Date(d.startedAt).toISOString(),
      finishedAt: d.finishedAt && new Date(d.finishedAt).toISOString(),
      version: d.version,
      actor: d.actor,
    })),
    null,
    2,
  ),
);
writeFileSync(join(out, 'truth.json'), JSON.stringify(scenario.incidents, null, 2));
process.stderr.write(`wrote ${series.length} series and ${scenario.deployments.length} deployments to ${out}\n`);
