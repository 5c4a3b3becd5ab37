import { learnedSubModelFactory, loadLearnedModelSync, LEARNED_WEIGHT } from '../../../src/detect/learned/index.js';
import { createEnsembleFactory } from '../../../src/detect/index.js';
import type { SubModel, SubModelFactory } from '../../../src/detect/index.js';

const model = loadLearnedModelSync();
const ref = { key: 'k', source: 's', metric: 'm', service: 'svc', labels: {} };

/** Deterministic calm series (sine + pseudo-noise); `burst` multiplies the noise inside [from, to). */
function series(n: number, burst = 1, from = 0, to = 0): number[] {
  let s = 7;
  return Array.from({ length: n }, (_, t) => {
    s = (s * 16807) % 2147483647;
    const noise = (s / 2147483647 - 0.5) * (t >= from && t < to ? burst : 1);
    return 100 + 5 * Math.sin(t / 10) + noise;
  });
}
const outs = (m: SubModel, v: readonly number[], t0 = 0, want = true) =>
  v.map((x, i) => ({ ...m.update(t0 + i, x, want) }));
const max = (a: readonly number[]): number => a.reduce((m, x) => (x > m ? x : m), 0);

describe.each([
  ['confirm', learnedSubModelFactory(model)],
  ['likelihood', learnedSubModelFactory(model, 'likelihood')],
] as [string, SubModelFactory][])('learned sub-model, role %s', (role, f) => {
  it('has no test of its own as a confirmer, the spike share as a likelihood', () => {
    expect(f).toMatchObject({ name: 'learned', weight: role === 'confirm' ? 0 : LEARNED_WEIGHT });
  });

  it('gives a one-point p-value once warmed up: small for a spike, none before', () => {
    const v = series(300);
    v[250] = (v[250] as number) + 40;
    const o = outs(f.create(ref), v);
    expect(o[5]?.pointP).toBeUndefined();
    // The artifact's population tail is heavy (set by the wildest training series): 40 noise widths is ~1e-3.
    expect(o[250]?.pointP).toBeLessThan(0.01);
    expect(o[249]?.pointP).toBeGreaterThan(10 * (o[250]?.pointP as number));
  });

  it('continues exactly after a JSON snapshot round trip; refuses the other role and foreign state', () => {
    const v = series(800, 8, 600, 640);
    const whole = outs(f.create(ref), v);
    const a = f.create(ref);
    outs(a, v.slice(0, 450));
    const snap = JSON.parse(JSON.stringify(a.snapshot())) as Record<string, unknown>;
    expect(outs(f.restore(ref, snap), v.slice(450), 450)).toEqual(whole.slice(450));
    const other = role === 'confirm' ? 'likelihood' : 'confirm';
    expect(() => f.restore(ref, { ...snap, role: other })).toThrow(
      expect.objectContaining({ code: 'E_DETECTOR_STATE' }),
    );
    expect(() => f.restore(ref, { ...snap, s: -1 })).toThrow(expect.objectContaining({ code: 'E_DETECTOR_STATE' }));
    expect(() => f.restore(ref, { format: 'x' })).toThrow(expect.objectContaining({ code: 'E_DETECTOR_STATE' }));
  });

  it('is online: appending points never changes an earlier output', () => {
    const v = series(800, 8, 600, 640);
    expect(outs(f.create(ref), v).slice(0, 620)).toEqual(outs(f.create(ref), v.slice(0, 620)));
  });

  it('gives the same verdicts whether or not the points in between were wanted', () => {
    const v = series(600);
    const all = f.create(ref),
      some = f.create(ref);
    for (let t = 0; t < 600; t++) {
      const a = all.update(t, v[t] as number, true);
      const b = { ...some.update(t, v[t] as number, t % 37 === 0) };
      if (t % 37 === 0) expect(b).toEqual({ ...a });
    }
  });
});

describe('learned residual likelihood', () => {
  const f = learnedSubModelFactory(model, 'likelihood');
  const surprise = (v: readonly number[]): number[] => outs(f.create(ref), v).map((o) => o.surprise);

  it('builds evidence from a run of surprising residuals, more than from one outlier', () => {
    const calm = surprise(series(900));
    const burst = surprise(series(900, 8, 700, 740));
    const one = series(900);
    one[700] = (one[700] as number) + 4;
    const single = surprise(one);
    expect(max(burst.slice(700, 740))).toBeGreaterThan(max(calm.slice(300, 700)) + 0.05);
    expect(max(burst.slice(700, 740))).toBeGreaterThan(max(single.slice(700, 740)));
    for (const x of [...calm, ...burst, ...single]) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});

describe('the learned confirmer in the ensemble', () => {
  const withIt = createEnsembleFactory({ name: 'vigil-confirm', subModels: [learnedSubModelFactory(model)] });
  const without = createEnsembleFactory();
  const run = (fac: typeof withIt, v: readonly number[]) => {
    const d = fac.create(ref);
    return v.map((x, t) => d.update({ t: t * 60_000, v: x }));
  };

  it('still pages a clear spike, and names itself among the contributors', () => {
    const v = series(1200);
    v[1000] = (v[1000] as number) + 40;
    const s = run(withIt, v);
    expect(s[1000]?.value).toBeGreaterThan(0.3);
    expect(s[1000]?.kind).toBe('spike');
    expect(s[1000]?.contributors.map((c) => c.model)).toContain('learned');
  });

  it('only ever lowers the spike evidence: no score above the ensemble without it before the first alert', () => {
    const v = series(1200, 3, 900, 1200);
    const a = run(withIt, v),
      b = run(without, v);
    const first = b.findIndex((x) => x.value >= 0.3);
    const upto = first < 0 ? v.length : first;
    for (let t = 0; t < upto; t++) expect(a[t]!.value).toBeLessThanOrEqual(b[t]!.value + 1e-12);
  });
});
