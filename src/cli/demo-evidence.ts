/**
 * What the demo summary's checks of its posts read besides the incidents
 * (bench/demo-checks.ts DemoEvidence): the simulator's value of each series
 * with and without injected effects, and the playbook Vigil recommends for
 * each incident, asked once the run is over, i.e. for the incident as it
 * stands at the end (the same call the notify stage makes for every post of
 * it, and /vigil show). Effects: store reads (the recommendation's facts).
 * Failure modes: a store error rejects. With remediation off no playbook is
 * recommended, and every deploy-caused incident counts as not recommending
 * a rollback.
 */
import type { DemoEvidence, RecommendedPlaybook } from '../bench/index.js';
import type { Incident } from '../domain/index.js';
import type { App } from '../main.js';
import { isRollback } from '../remediate/index.js';
import type { Simulator } from '../sources/simulator/index.js';

export async function demoEvidence(app: App, sim: Simulator, incidents: readonly Incident[]): Promise<DemoEvidence> {
  const r = app.remediation;
  const playbooks = new Map<string, RecommendedPlaybook>();
  if (r) {
    for (const i of incidents) {
      const best = await r.recommend(i);
      const playbook = best && r.playbooks.find((p) => p.name === best.name);
      if (best) playbooks.set(i.id, { name: best.name, rollback: playbook ? isRollback(playbook) : false });
    }
  }
  return {
    truthAt: (key, t) => sim.valueAt(key, t),
    playbookOf: (id) => playbooks.get(id) ?? null,
  };
}
