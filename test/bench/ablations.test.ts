import { benchDetectors } from '../../src/bench/index.js';

describe('benchDetectors', () => {
  it('offers the vigil ensemble with named ablations', async () => {
    const { main, ablation } = await benchDetectors();
    expect(main.name).toBe('vigil');
    expect(ablation.map((a) => a.name)).toEqual(
      expect.arrayContaining([
        'vigil-stats',
        'vigil-context',
        'vigil-no-context',
        'vigil-no-range',
        'vigil-equal-weights',
        'vigil-bonferroni',
        'vigil-fixed-refractory',
        'robust-mad',
      ]),
    );
  });
});
