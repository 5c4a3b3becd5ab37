import { Writable } from 'node:stream';
import { pino } from 'pino';
import { VigilError, type VigilErrorCode } from '../../src/domain/index.js';
import { openQueue } from '../../src/queue/index.js';
import { SourceHealth, startScheduler, type MetricSource } from '../../src/sources/index.js';
import { openStore } from '../../src/store/index.js';

function source(id: string, fail: () => boolean, onQueries: () => void): MetricSource {
  return {
    id,
    stepMs: 60_000,
    queries: async () => {
      onQueries();
      if (fail()) throw new VigilError('E_TEST_DOWN' as VigilErrorCode, `${id} is down`, true);
      return [{ sourceId: id, id: 'q', params: {} }];
    },
    fetch: async () => [],
  };
}

describe('SourceHealth', () => {
  it('reports an outage once when it starts and once when it ends', () => {
    const h = new SourceHealth();
    expect(h.failed('cw', 1)?.kind).toBe('down');
    expect(h.failed('cw', 2)).toBeNull();
    expect(h.failed('cw', 3)).toBeNull();
    expect(h.succeeded('cw')).toEqual({ kind: 'recovered', sourceId: 'cw', failures: 3, since: 1 });
    expect(h.succeeded('cw')).toBeNull();
  });

  it('backs off a failing source, capped', () => {
    const h = new SourceHealth();
    expect(h.nextDelay('p', 1000)).toBe(1000);
    h.failed('p', 0);
    expect(h.nextDelay('p', 1000)).toBe(2000);
    for (let i = 0; i < 20; i++) h.failed('p', 0);
    expect(h.nextDelay('p', 1000, 60_000)).toBe(60_000);
  });
});

describe('startScheduler', () => {
  it('keeps pulling a healthy source while another is down, and logs the outage once', async () => {
    const lines: string[] = [];
    // The test ends once the recovery was logged: counting calls alone raced
    // the down source's backoff on a loaded machine.
    let recoveryLogged = false;
    const log = pino(
      { level: 'debug' },
      new Writable({
        write(c, _e, cb) {
          lines.push(String(c));
          if (String(c).includes('"source down recovered"')) recoveryLogged = true;
          cb();
        },
      }),
    );
    const store = await openStore({ dataDir: 'memory://' });
    const queue = await openQueue({});
    let downCalls = 0;
    let upCalls = 0;
    let recover = false;
    let reached!: () => void;
    const enough = new Promise<void>((r) => {
      reached = r;
    });
    const down = source(
      'down',
      () => !recover,
      () => {
        downCalls++;
      },
    );
    const up = source(
      'up',
      () => false,
      () => {
        upCalls++;
        if (upCalls === 6) recover = true;
        if (upCalls >= 12 && downCalls >= 3 && recoveryLogged) reached();
      },
    );
    queue.process('pull', async () => {
      /* scheduling is under test, not pulling */
    });
    const s = startScheduler({
      sources: [
        { source: down, intervalMs: 5, initialLookbackMs: 60_000 },
        { source: up, intervalMs: 5, initialLookbackMs: 60_000 },
      ],
      queue,
      cursors: store,
      log,
    });
    try {
      await enough;
    } finally {
      await s.stop();
      await queue.close();
      await store.close();
    }
    const messages = lines.map((l) => JSON.parse(l) as { msg: string; level: number });
    expect(messages.filter((m) => m.msg.startsWith('source down is failing'))).toHaveLength(1);
    expect(messages.filter((m) => m.msg === 'source down recovered')).toHaveLength(1);
    expect(upCalls).toBeGreaterThan(downCalls);
  });
});
