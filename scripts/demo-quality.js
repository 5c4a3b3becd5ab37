#!/usr/bin/env node
// Runs `vigil demo --json` for seeds 1..N and reports how many injected
// anomalies were caught, how many incidents matched nothing injected, and
// the demo's checks of its posts (headlines, recommended rollbacks).
// Usage: node scripts/demo-quality.js [seeds=4] [duration=1d]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const seeds = Number(process.argv[2] ?? 4);
const duration = process.argv[3] ?? '1d';
const bin = fileURLToPath(new URL('../bin/vigil.js', import.meta.url));
let injected = 0,
  caught = 0,
  incidents = 0,
  unmatched = 0,
  seconds = 0;
// The posts against the ground truth (src/bench/demo-checks.ts): headlines within one band width, rollbacks recommended.
const checks = { headlines: 0, headlinesWithin: 0, deployCaused: 0, rollbacks: 0, misses: [] };
const delays = [];
for (let seed = 1; seed <= seeds; seed++) {
  const out = execFileSync(process.execPath, [bin, 'demo', '--seed', String(seed), '--duration', duration, '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const s = JSON.parse(out.trim().split('\n').pop());
  injected += s.injected.length;
  caught += s.injected.filter((e) => e.detectedBy).length;
  delays.push(...s.injected.filter((e) => e.detectedBy).map((e) => e.delaySteps));
  incidents += s.incidents.length;
  unmatched += s.incidents.filter((i) => !i.matches).length;
  seconds += s.seconds;
  checks.headlines += s.checks.headlines.total;
  checks.headlinesWithin += s.checks.headlines.withinBand;
  checks.deployCaused += s.checks.rollbacks.total;
  checks.rollbacks += s.checks.rollbacks.recommending;
  for (const h of s.checks.headlines.checks.filter((c) => !c.expectedWithinBand))
    checks.misses.push(
      `seed ${seed} ${h.incident}: expected ${h.expected.toPrecision(4)}, without the effect ${h.counterfactual}, band width ${h.bandWidth.toPrecision(3)}`,
    );
  for (const r of s.checks.rollbacks.checks.filter((c) => !c.rollback))
    checks.misses.push(
      `seed ${seed} ${r.incident}: caused by ${r.causedBy.join(', ')}, recommends ${r.playbook ?? 'nothing'}`,
    );
  console.error(
    `seed ${seed}: caught ${s.injected.filter((e) => e.detectedBy).length}/${s.injected.length}, incidents ${s.incidents.length}, unmatched ${s.incidents.filter((i) => !i.matches).length}`,
  );
}
delays.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    seeds,
    duration,
    injected,
    caught,
    recall: +(caught / injected).toFixed(3),
    incidents,
    unmatched,
    precision: +((incidents - unmatched) / Math.max(incidents, 1)).toFixed(3),
    medianDelaySteps: delays[Math.floor(delays.length / 2)] ?? null,
    pipelineSecondsPerRun: +(seconds / seeds).toFixed(2),
    headlinesWithinBand: `${checks.headlinesWithin}/${checks.headlines}`,
    rollbacksRecommended: `${checks.rollbacks}/${checks.deployCaused}`,
    misses: checks.misses,
  }),
);
