import { createOutageLog } from '../../src/observability/index.js';
import { moveCursor } from '../../src/stages/commit.js';

/** A pull in which 3 of 4 series failed, and deps that record log lines and cursor moves. */
function pullWithFailures() {
  const lines: Array<{ level: string; msg: string }> = [];
  const at = (level: string) => (_obj: unknown, msg: string) => {
    lines.push({ level, msg });
  };
  const log = { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
  const cursors: number[] = [];
  const deps = {
    log,
    store: {
      setCursor: async (_s: string, _k: string, t: number) => {
        cursors.push(t);
      },
    },
    metrics: { pointsIngested: () => undefined, anomaliesDetected: () => undefined },
    outage: createOutageLog(log as never),
  };
  const pull = {
    job: { query: { id: 'q', sourceId: 'push', params: {} }, range: { from: 0, to: 60_000 } },
    sourceId: 'push',
    failed: 3,
    series: [1, 2, 3, 4],
    points: 10,
    settled: [],
    page: { pendingSeries: 9, more: true },
  };
  return { lines, cursors, deps, pull, run: () => moveCursor(pull as never, deps as never) };
}

describe('moveCursor (stages/commit)', () => {
  it('moves the cursor when no series failed, unless the commit moved it already', async () => {
    const p = pullWithFailures();
    const run = (cursorMoved: boolean) => moveCursor({ ...p.pull, failed: 0, cursorMoved } as never, p.deps as never);
    // The source's next page is wanted: nothing failed.
    expect(await run(false)).toMatchObject({ series: 4, pendingSeries: 9, more: true });
    expect(p.cursors).toEqual([60_000]);
    await run(true);
    expect(p.cursors).toEqual([60_000]);
    expect(p.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('keeps the cursor and warns when series failed', async () => {
    const p = pullWithFailures();
    // No next page: a failed series is the longest waiting, and it would be served again at once.
    expect(await p.run()).toMatchObject({ more: false });
    expect(p.cursors).toEqual([]);
    expect(p.lines).toEqual([
      { level: 'warn', msg: "3 of 4 series were not scored; the query's cursor stays, so the next pull retries them" },
    ]);
  });

  it("during a store outage leaves the warnings to the outage's own two lines (one per outage, not one per pull)", async () => {
    const p = pullWithFailures();
    p.deps.outage.failed('store', { code: 'E_STORE_UNAVAILABLE', message: 'connect ECONNREFUSED' });
    await p.run();
    await p.run();
    expect(p.cursors).toEqual([]);
    expect(p.lines.filter((l) => l.level === 'warn' || l.level === 'error').map((l) => l.msg)).toEqual([
      'store unavailable (E_STORE_UNAVAILABLE); affected work is retried, and recovery will be logged',
    ]);
    expect(p.lines.filter((l) => l.level === 'info')).toHaveLength(2);
  });
});
