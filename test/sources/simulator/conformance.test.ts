/** The MetricSource conformance suite on the simulator (in-process, deterministic). */
import { createSimulator } from '../../../src/sources/simulator/index.js';
import { sourceConformance } from '../conformance.js';
import { HOUR, START } from './helpers.js';

sourceConformance(
  'simulator',
  async () => {
    const source = createSimulator({ seed: 11, start: START, durationMs: 6 * HOUR, services: 3 });
    return { source, range: { from: START + 2 * HOUR + 17_345, to: START + 4 * HOUR + 29_001 } };
  },
  {
    failures: async () => {
      const source = createSimulator({ seed: 11, start: START, durationMs: 6 * HOUR });
      const [q] = await source.queries();
      return [
        {
          name: 'a non-finite range (E_SIM_RANGE)',
          retryable: false,
          run: () => source.fetch(q!, { from: START, to: Infinity }),
        },
      ];
    },
  },
);
