/**
 * buildApp compacts an embedded store periodically (issue 16, bounded memory:
 * `vigil start` and `vigil worker` on PGlite never compacted, so dead rows and
 * WAL grew for the whole run), and a PostgreSQL that does not vacuum by
 * itself (its pushed-points queue kept every row ever pushed). The period is
 * a few ms here; the tests wait for calls, never for an amount of time.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { jest } from '@jest/globals';
import { pino } from 'pino';
import { loadConfig } from '../src/config/index.js';
import { VigilError } from '../src/domain/errors.js';
import { buildApp, type App } from '../src/main.js';
import type { Logger } from '../src/observability/index.js';
import { createPgClient } from '../src/store/pg/client.js';
import { describeOnFreshPostgres } from './store/pg-fixture.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino(
    { level: 'debug' },
    new Writable({
      write(c, _e, cb) {
        lines.push(JSON.parse(String(c)) as Record<string, unknown>);
        cb();
      },
    }),
  );
  return { log, lines };
}

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}

async function embeddedApp(log: Logger): Promise<App> {
  const config = loadConfig({}, mkdtempSync(join(tmpdir(), 'vigil-compaction-')));
  return buildApp(config, { consume: [], ephemeralStore: true, log, notifiers: [], compactEveryMs: 5 });
}

describe('buildApp on an embedded store', () => {
  it('compacts the store after each period', async () => {
    const { log } = capture();
    const app = await embeddedApp(log);
    const compact = jest.spyOn(app.store, 'compact');
    try {
      await until(() => compact.mock.calls.length >= 2);
    } finally {
      await app.close();
    }
  });

  it('logs a failing compaction once, with its code, retries every period, and logs the recovery', async () => {
    const { log, lines } = capture();
    const app = await embeddedApp(log);
    let calls = 0;
    const compact = jest.spyOn(app.store, 'compact').mockImplementation(async () => {
      calls++;
      if (calls <= 3) throw new VigilError('E_STORE_UNAVAILABLE', 'the database went away', true);
    });
    try {
      await until(() => compact.mock.calls.length >= 5);
    } finally {
      await app.close();
    }
    const failed = lines.filter((l) => String(l.msg).startsWith('compacting the store failed'));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 40, code: 'E_STORE_UNAVAILABLE' });
    expect(lines.filter((l) => String(l.msg) === 'compacting the store works again')).toEqual([
      expect.objectContaining({ failures: 3 }),
    ]);
  });

  it('close() waits for a compaction in flight, then compacts no more', async () => {
    const { log } = capture();
    const app = await embeddedApp(log);
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const compact = jest.spyOn(app.store, 'compact').mockImplementation(() => gate);
    await until(() => compact.mock.calls.length === 1);
    let closed = false;
    const closing = app.close().then(() => {
      closed = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(closed).toBe(false);
    release();
    await closing;
    expect(compact).toHaveBeenCalledTimes(1);
  });
});

describeOnFreshPostgres('buildApp on PostgreSQL', (url) => {
  it('without autovacuum for the queue: says so once and compacts after each period', async () => {
    const { log, lines } = capture();
    const config = loadConfig({ DATABASE_URL: url() }, mkdtempSync(join(tmpdir(), 'vigil-vacuum-')));
    // Migrated by a first start, then the queue opted out of autovacuum whatever the server's setting.
    await (await buildApp(config, { consume: [], log, notifiers: [], compactEveryMs: null })).close();
    const db = await createPgClient(url());
    await db.exec('ALTER TABLE pushed_points SET (autovacuum_enabled = false)');
    await db.close();
    const app = await buildApp(config, { consume: [], log, notifiers: [], compactEveryMs: 5 });
    const compact = jest.spyOn(app.store, 'compact');
    try {
      await until(() => compact.mock.calls.length >= 2);
    } finally {
      await app.close();
    }
    expect(lines.filter((l) => String(l.msg).startsWith("PostgreSQL's autovacuum is off"))).toHaveLength(1);
  });
});
