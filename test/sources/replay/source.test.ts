import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReplaySource } from '../../../src/sources/replay/index.js';
import type { ReplayIssue } from '../../../src/sources/replay/index.js';

const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;
const iso = (t: number) => new Date(t).toISOString();
const plain = (t: number) => iso(t).slice(0, 19).replace('T', ' ');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-replay-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(rel: string, text: string): Promise<string> {
  const path = join(dir, rel);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
  return path;
}

function rows(n: number, fmt: (t: number) => string, value = (i: number) => i): string {
  return (
    ['timestamp,value', ...Array.from({ length: n }, (_, i) => `${fmt(T0 + i * MIN)},${value(i)}`)].join('\n') + '\n'
  );
}

describe('replay source', () => {
  it('maps <service>/<metric>.csv and flat <name>.csv to services and metrics, one query per service', async () => {
    await put('checkout/latency_p95_ms.csv', rows(3, iso));
    await put('checkout/error_rate.csv', rows(3, plain));
    await put(
      'machine_temp.csv',
      rows(3, (t) => String(t / 1000)),
    );
    await put('notes.txt', 'ignored');
    const src = createReplaySource({ root: dir });
    const queries = await src.queries();
    expect(queries.map((q) => [q.id, q.params.service])).toEqual([
      ['replay:checkout', 'checkout'],
      ['replay:machine_temp', 'machine_temp'],
    ]);
    expect(queries[0]?.params.root).toBe(dir);
    // A service's metrics come in one pull, so CPU can be judged against the service's load (stages/score.ts).
    const checkout = await src.fetch(queries[0]!, { from: 0, to: Infinity });
    expect(checkout.map((s) => s.ref.metric)).toEqual(['error_rate', 'latency_p95_ms']);
    expect(checkout.every((s) => s.points.length === 3)).toBe(true);
    const series = checkout[1];
    expect(series?.ref).toEqual({
      key: 'replay:latency_p95_ms{service="checkout"}',
      source: 'replay',
      metric: 'latency_p95_ms',
      service: 'checkout',
      labels: { service: 'checkout' },
    });
    expect(src.issues()).toEqual([]);
  });

  it('reads ISO, "YYYY-MM-DD HH:MM:SS" and epoch timestamps to the same instants', async () => {
    for (const [name, fmt] of [
      ['a.csv', iso],
      ['b.csv', plain],
      ['c.csv', (t: number) => String(t / 1000)],
      ['d.csv', String],
    ] as const) {
      await put(name, rows(5, fmt));
    }
    const src = createReplaySource({ root: dir });
    for (const q of await src.queries()) {
      const [s] = await src.fetch(q, { from: 0, to: Infinity });
      expect(s?.points).toEqual([0, 1, 2, 3, 4].map((i) => ({ t: T0 + i * MIN, v: i })));
    }
  });

  it('serves [from, to) by binary search over a large file, and ranges add up', async () => {
    await put(
      'big.csv',
      rows(20_000, String, (i) => i * 0.5),
    );
    const src = createReplaySource({ root: join(dir, 'big.csv') });
    const [q] = await src.queries();
    expect(q?.params.service).toBe('big');
    const [s] = await src.fetch(q!, { from: T0 + 100 * MIN, to: T0 + 200 * MIN });
    expect(s?.points).toHaveLength(100);
    expect(s?.points[0]).toEqual({ t: T0 + 100 * MIN, v: 50 });
    expect(s?.points.at(-1)?.t).toBe(T0 + 199 * MIN);
    const a = await src.fetch(q!, { from: T0, to: T0 + 7777 * MIN + 1 });
    const b = await src.fetch(q!, { from: T0 + 7777 * MIN + 1, to: Infinity });
    expect((a[0]?.points.length ?? 0) + (b[0]?.points.length ?? 0)).toBe(20_000);
    expect(await src.dataRange()).toEqual({ from: T0, to: T0 + 19_999 * MIN + 1 });
    expect((await src.fetch(q!, { from: T0 + 5 * MIN, to: T0 + 5 * MIN }))[0]?.points).toEqual([]);
  });

  it('skips and reports bad rows with line numbers while serving the rest, and other files', async () => {
    const bad = await put(
      'svc/cpu.csv',
      [
        'timestamp,value', // 1
        `${iso(T0)},1`, // 2
        `${iso(T0 + MIN)}`, // 3 malformed
        `${iso(T0 + 2 * MIN)},NaN`, // 4 NaN
        `${iso(T0 + 3 * MIN)},abc`, // 5 non-numeric
        'not-a-time,5', // 6
        `${iso(T0 + 4 * MIN)},4`, // 7
        `${iso(T0 + 1 * MIN)},9`, // 8 backwards
        `${iso(T0 + 4 * MIN)},9`, // 9 duplicate
        '', // 10 blank: silently skipped
        `${iso(T0 + 5 * MIN)},5`, // 11
      ].join('\r\n'),
    );
    await put('svc/mem.csv', rows(3, iso));
    const seen: ReplayIssue[] = [];
    const src = createReplaySource({ root: dir, onIssue: (i) => seen.push(i) });
    const [svc] = await src.queries();
    const [s, mem] = await src.fetch(svc!, { from: 0, to: Infinity });
    expect([s?.ref.metric, mem?.ref.metric]).toEqual(['cpu', 'mem']);
    expect(s?.points).toEqual([
      { t: T0, v: 1 },
      { t: T0 + 4 * MIN, v: 4 },
      { t: T0 + 5 * MIN, v: 5 },
    ]);
    expect(src.issues().map((i) => [i.file, i.line, i.code])).toEqual([
      [bad, 3, 'malformed_row'],
      [bad, 4, 'bad_value'],
      [bad, 5, 'bad_value'],
      [bad, 6, 'bad_timestamp'],
      [bad, 8, 'out_of_order'],
      [bad, 9, 'duplicate_timestamp'],
    ]);
    expect(src.issues()[4]?.reason).toMatch(/before line 7/);
    expect(seen).toEqual(src.issues());
    expect(mem?.points).toHaveLength(3);
  });

  it('reports a missing header and still reads the first line as data', async () => {
    const path = await put('x.csv', `${iso(T0)},1\n${iso(T0 + MIN)},2\n`);
    const src = createReplaySource({ root: path });
    const [q] = await src.queries();
    expect((await src.fetch(q!, { from: 0, to: Infinity }))[0]?.points).toHaveLength(2);
    expect(src.issues()).toEqual([{ file: path, line: 1, code: 'missing_header', reason: expect.any(String) }]);
  });

  it('caps issues per file with a summary instead of one per row', async () => {
    await put('junk.csv', ['timestamp,value', ...Array.from({ length: 500 }, () => 'x,y')].join('\n'));
    const src = createReplaySource({ root: dir });
    await src.dataRange();
    expect(src.issues()).toHaveLength(101);
    expect(src.issues().at(-1)).toMatchObject({ code: 'too_many_issues', reason: expect.stringContaining('400 more') });
    expect(await src.dataRange()).toBeNull();
  });

  it('fails with E_REPLAY_READ naming a missing root, an empty folder or an unreadable file', async () => {
    const missing = join(dir, 'nope');
    await expect(createReplaySource({ root: missing }).queries()).rejects.toMatchObject({
      code: 'E_REPLAY_READ',
      message: expect.stringContaining(missing),
    });
    await expect(createReplaySource({ root: dir }).queries()).rejects.toMatchObject({ code: 'E_REPLAY_READ' });
    const path = await put('a/m.csv', rows(2, iso));
    const src = createReplaySource({ root: dir });
    const [q] = await src.queries();
    await rm(path);
    await expect(src.fetch(q!, { from: 0, to: Infinity })).rejects.toMatchObject({
      code: 'E_REPLAY_READ',
      message: expect.stringContaining(path),
    });
    await put('a/m.csv', rows(2, iso));
    expect((await src.fetch(q!, { from: 0, to: Infinity }))[0]?.points).toHaveLength(2); // a failed read is retried, not cached
  });

  it('refuses queries of another source or root', async () => {
    await put('a.csv', rows(2, iso));
    const src = createReplaySource({ root: dir });
    const [q] = await src.queries();
    await expect(src.fetch({ ...q!, sourceId: 'simulator' }, { from: 0, to: 1 })).rejects.toMatchObject({
      code: 'E_REPLAY_QUERY',
    });
    await expect(
      src.fetch({ ...q!, params: { ...q!.params, root: '/elsewhere' } }, { from: 0, to: 1 }),
    ).rejects.toMatchObject({ code: 'E_REPLAY_QUERY' });
    await expect(
      src.fetch({ ...q!, params: { ...q!.params, service: '../../etc/passwd' } }, { from: 0, to: 1 }),
    ).rejects.toMatchObject({ code: 'E_REPLAY_QUERY', message: expect.stringContaining('no files of service') });
    await expect(src.fetch({ ...q!, params: { ...q!.params, service: 7 } }, { from: 0, to: 1 })).rejects.toMatchObject({
      code: 'E_REPLAY_QUERY',
    });
  });

  it('reports deeper folders and duplicate series instead of serving them', async () => {
    await put('svc.csv', rows(2, iso));
    await put('svc/value.csv', rows(2, iso));
    await put('svc/deeper/x.csv', rows(2, iso));
    const src = createReplaySource({ root: dir });
    expect((await src.queries()).map((q) => q.id)).toEqual(['replay:svc']);
    expect(
      src
        .issues()
        .map((i) => i.code)
        .sort(),
    ).toEqual(['duplicate_series', 'ignored_path']);
  });

  it('a listing retried while it fails keeps each issue once, however often it is read', async () => {
    await put('svc/deeper/x.csv', rows(2, iso)); // no readable file: every listing reports the folder, then fails
    const told: ReplayIssue[] = [];
    const src = createReplaySource({ root: dir, onIssue: (i) => told.push(i) });
    for (let i = 0; i < 50; i++) await expect(src.queries()).rejects.toMatchObject({ code: 'E_REPLAY_READ' });
    expect(src.issues().map((i) => i.code)).toEqual(['ignored_path']);
    expect(told).toHaveLength(1);
  });

  it('keeps column order from the header and ignores extra columns', async () => {
    await put('m.csv', `value,timestamp,label\n3,${iso(T0)},0\n4,${iso(T0 + MIN)},1\n`);
    const src = createReplaySource({ root: dir });
    const [q] = await src.queries();
    expect((await src.fetch(q!, { from: 0, to: Infinity }))[0]?.points).toEqual([
      { t: T0, v: 3 },
      { t: T0 + MIN, v: 4 },
    ]);
  });

  it('rejects bad options', () => {
    expect(() => createReplaySource({ root: '' })).toThrow(expect.objectContaining({ code: 'E_REPLAY_OPTIONS' }));
    expect(() => createReplaySource({ root: dir, stepMs: 0 })).toThrow(
      expect.objectContaining({ code: 'E_REPLAY_OPTIONS' }),
    );
  });
});
