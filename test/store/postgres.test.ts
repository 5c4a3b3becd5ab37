/**
 * The Store conformance suite on real PostgreSQL (test/support/services.ts
 * says where), in a database created for this file, plus what only a
 * multi-process server can show: concurrent migration by two pools.
 */
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { loadMigrations, migrate } from '../../src/store/migrate.js';
import { createPgClient } from '../../src/store/pg/client.js';
import { describeWithPostgres, testDatabaseUrl } from '../support/services.js';
import { storeConformance } from './conformance.js';
import { eventsConformance } from './events.conformance.js';
import { remediationConformance } from './remediation.conformance.js';
import { slackStoreConformance } from './slack.conformance.js';
import { createTestDatabase } from './pg-fixture.js';
import type { TestDatabase } from './pg-fixture.js';

describeWithPostgres('PostgreSQL store', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  storeConformance('PostgreSQL', () => openStore({ databaseUrl: db.url, dataDir: 'unused' }), { persistent: true });
  eventsConformance('PostgreSQL', () => openStore({ databaseUrl: db.url, dataDir: 'unused' }));
  remediationConformance('PostgreSQL', () => openStore({ databaseUrl: db.url, dataDir: 'unused' }));
  slackStoreConformance('PostgreSQL', () => openStore({ databaseUrl: db.url, dataDir: 'unused' }));

  test('stores on two pools migrating one fresh database at once both succeed', async () => {
    const fresh = await createTestDatabase();
    const stores: Store[] = [];
    try {
      stores.push(
        ...(await Promise.all([1, 2, 3].map(() => openStore({ databaseUrl: fresh.url, dataDir: 'unused' })))),
      );
      for (const s of stores) await s.ping();
      const [a, b] = stores;
      await a?.upsertSeries({ key: 'k', source: 's', metric: 'm', service: 'svc', labels: {} });
      expect(await b?.getSeries('k')).toMatchObject({ service: 'svc' });

      const client = await createPgClient(fresh.url, { max: 1 });
      try {
        const versions = (
          await client.query<{ version: number }>('SELECT version FROM vigil_migrations ORDER BY version')
        ).map((r) => r.version);
        expect(versions).toEqual((await loadMigrations()).map((m) => m.version));
        expect(await migrate(client)).toEqual([]);
      } finally {
        await client.close();
      }
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await fresh.drop();
    }
  });

  test('a missing database is E_STORE_CONNECT naming it', async () => {
    const url = new URL(testDatabaseUrl);
    url.pathname = '/vigil_does_not_exist';
    await expect(openStore({ databaseUrl: url.toString(), dataDir: 'unused' })).rejects.toMatchObject({
      code: 'E_STORE_CONNECT',
      message: expect.stringContaining('/vigil_does_not_exist'),
    });
  });
});
