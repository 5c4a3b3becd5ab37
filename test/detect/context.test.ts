import { ContextNovelty, CONTEXT_DEFAULTS } from '../../src/detect/context/novelty.js';
import { createEnsembleFactory } from '../../src/detect/index.js';
import type { SeriesRef } from '../../src/domain/index.js';
import { series } from './synth.js';

const ref: SeriesRef = { key: 'k', source: 's', metric: 'm', service: 'svc', labels: {} };
/** A repeating saw-tooth of period 8 with one broken cycle at [2000, 2008). */
const saw = (i: number): number => (i >= 2000 && i < 2008 ? 7 - (i % 8) : i % 8);

describe('contextual novelty', () => {
  it('scores a familiar pattern 0 and a broken one high, without the values leaving their range', () => {
    const m = ContextNovelty.create(CONTEXT_DEFAULTS);
    const a = Array.from({ length: 3000 }, (_, i) => m.update(saw(i)));
    expect(Math.max(...a.slice(1000, 2000))).toBe(0);
    expect(Math.max(...a.slice(2000, 2012))).toBeGreaterThan(0.3);
    expect(Math.max(...a.slice(2100, 3000))).toBe(0);
  });

  it('treats a value beyond everything seen as novel', () => {
    const m = ContextNovelty.create(CONTEXT_DEFAULTS);
    for (let i = 0; i < 1000; i++) m.update(saw(i));
    expect(m.update(50)).toBeGreaterThan(0);
  });

  it('continues exactly after a JSON round-trip and rejects a damaged snapshot', () => {
    const whole = ContextNovelty.create(CONTEXT_DEFAULTS);
    const head = ContextNovelty.create(CONTEXT_DEFAULTS);
    const pts = series(2000, 3, (i, v) => v + (i === 1500 ? 20 : 0));
    const full = pts.map((p) => whole.update(p.v));
    pts.slice(0, 900).forEach((p) => head.update(p.v));
    const back = ContextNovelty.restore(JSON.parse(JSON.stringify(head.snapshot())), CONTEXT_DEFAULTS);
    expect(pts.slice(900).map((p) => back.update(p.v))).toEqual(full.slice(900));
    const snap = head.snapshot() as Record<string, unknown>;
    expect(() => ContextNovelty.restore({ ...snap, t: 'AAAA' }, CONTEXT_DEFAULTS)).toThrow(
      expect.objectContaining({ code: 'E_DETECTOR_STATE' }),
    );
  });

  it('lets the ensemble flag a broken pattern that level models accept, and explains it with a stat kind', () => {
    const pts = Array.from({ length: 3000 }, (_, i) => ({ t: 1_700_000_000_000 + i * 60_000, v: saw(i) }));
    const run = (models: ('spike' | 'context')[]): number => {
      const d = createEnsembleFactory({ params: { models } }).create(ref);
      const s = pts.map((p) => d.update(p));
      const top = s.slice(2000, 2012).reduce((a, b) => (b.value > a.value ? b : a));
      if (models.includes('context')) expect(top.kind).not.toBeNull();
      return top.value;
    };
    expect(run(['spike', 'context'])).toBeGreaterThan(0.5);
    expect(run(['spike'])).toBeLessThan(0.5);
  });
});
