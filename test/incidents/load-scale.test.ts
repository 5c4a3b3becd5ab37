/** loadScale: the load a service carries since an incident's onset, against before it, never below 1. */
import { loadScale } from '../../src/incidents/load-scale.js';

const MIN = 60_000;
const pts = (from: number, vs: number[]) => vs.map((v, i) => ({ t: (from + i) * MIN, v }));

describe('loadScale', () => {
  const load = [...pts(90, Array(10).fill(100)), ...pts(100, Array(20).fill(100)), ...pts(120, Array(20).fill(250))];
  const scale = loadScale(load, 100 * MIN, 10 * MIN);

  test('the trailing median load over the median of the window before onset', () => {
    expect(scale(110 * MIN)).toBe(1);
    expect(scale(139 * MIN)).toBe(2.5);
  });

  test('less load than before onset is no excuse and no charge: 1', () => {
    const night = loadScale([...pts(90, Array(10).fill(100)), ...pts(100, Array(20).fill(40))], 100 * MIN, 10 * MIN);
    expect(night(119 * MIN)).toBe(1);
  });

  test('no load before onset, or none near t: 1', () => {
    expect(loadScale(pts(100, Array(20).fill(300)), 100 * MIN, 10 * MIN)(115 * MIN)).toBe(1);
    expect(scale(200 * MIN)).toBe(1);
  });
});
