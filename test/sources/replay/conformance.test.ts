/** The MetricSource conformance suite on the replay source, over CSV files in a temporary directory. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReplaySource } from '../../../src/sources/replay/index.js';
import { sourceConformance } from '../conformance.js';

const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function root(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-replay-conf-'));
  dirs.push(dir);
  const rows = (n: number, f: (i: number) => number) =>
    ['timestamp,value', ...Array.from({ length: n }, (_, i) => `${new Date(T0 + i * MIN).toISOString()},${f(i)}`)].join(
      '\n',
    ) + '\n';
  await mkdir(join(dir, 'checkout'), { recursive: true });
  await writeFile(
    join(dir, 'checkout', 'latency_ms.csv'),
    rows(240, (i) => 100 + (i % 17)),
  );
  await writeFile(
    join(dir, 'checkout', 'errors.csv'),
    rows(240, (i) => i % 5),
  );
  return dir;
}

sourceConformance(
  'replay',
  async () => {
    const source = createReplaySource({ root: await root() });
    return { source, range: { from: T0 + 30 * MIN + 12_345, to: T0 + 200 * MIN + 5_000 } };
  },
  {
    failures: async () => {
      const dir = await root();
      const source = createReplaySource({ root: dir });
      const [q] = await source.queries();
      await rm(dir, { recursive: true, force: true });
      return [
        {
          name: 'its file removed (E_REPLAY_READ)',
          retryable: false,
          run: () => source.fetch(q!, { from: T0, to: T0 + MIN }),
        },
      ];
    },
  },
);
