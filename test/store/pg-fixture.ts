/**
 * A fresh, empty PostgreSQL database per caller, so test files (and the
 * concurrency tests inside one) never share tables and can run in parallel.
 * `drop()` force-closes leftover connections and removes it.
 */
import { createPgClient } from '../../src/store/pg/client.js';
import { describeWithPostgres, testDatabaseUrl } from '../support/services.js';
import { uid } from './fixtures.js';

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = await createPgClient(testDatabaseUrl, { max: 1 });
  const name = `vigil_test_${uid()}`;
  await admin.exec(`CREATE DATABASE ${name}`);
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      try {
        await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.close();
      }
    },
  };
}

/**
 * describeWithPostgres around `body`, given the URL of a fresh database
 * made before its tests and dropped after them.
 */
export function describeOnFreshPostgres(title: string, body: (url: () => string) => void): void {
  describeWithPostgres(title, () => {
    let fresh: TestDatabase;
    beforeAll(async () => {
      fresh = await createTestDatabase();
    });
    afterAll(async () => {
      await fresh?.drop();
    });
    body(() => fresh.url);
  });
}
