import { createEnsembleFactory } from '../../src/detect/index.js';
import { PageOnce, withPageOnce } from '../../src/detect/policy.js';
import type { SeriesRef } from '../../src/domain/index.js';
import { series } from './synth.js';

const ref: SeriesRef = { key: 'k', source: 's', metric: 'm', service: 'svc', labels: {} };

describe('page-once policy', () => {
  const pts = series(2600, 21, (i, v) => (i === 2000 || i === 2180 || (i >= 2300 && i < 2310) ? v + 30 : v));
  const f = createEnsembleFactory({ params: { refractory: 15 } });
  const raw = (): number[] => {
    const d = f.create(ref);
    return pts.map((p) => d.update(p).value);
  };

  it('is a pure function of the raw scores: the wrapped detector equals PageOnce over the raw scores', () => {
    const w = withPageOnce(f, f.pagePolicy!).create(ref);
    expect(pts.map((p) => w.update(p).value)).toEqual(
      Array.from(PageOnce.applyAll(Float64Array.from(raw()), f.pagePolicy)),
    );
  });

  it('snapshots and restores the policy state with the detector', () => {
    const wf = withPageOnce(f, f.pagePolicy!);
    const whole = (() => {
      const d = wf.create(ref);
      return pts.map((p) => d.update(p).value);
    })();
    const d = wf.create(ref);
    const head = pts.slice(0, 2305).map((p) => d.update(p).value);
    const r = wf.restore(ref, JSON.parse(JSON.stringify(d.snapshot())));
    expect([...head, ...pts.slice(2305).map((p) => r.update(p).value)]).toEqual(whole);
    expect(() => wf.restore(ref, { kind: 'vigil' })).toThrow();
    // a bare ensemble snapshot (stored before the policy moved out) restores, with a fresh policy
    const bare = f.create(ref);
    for (const p of pts.slice(0, 100)) bare.update(p);
    expect(() => wf.restore(ref, JSON.parse(JSON.stringify(bare.snapshot()))).update(pts[100]!)).not.toThrow();
  });
});
