/**
 * The Store over any SqlClient: the same SQL runs on PostgreSQL and PGlite.
 * Assumes the schema is migrated (see migrate.ts; openStore does both).
 * Effects and failure modes are those of the parts in sql/; every failure is
 * a VigilError from toStoreError.
 */
import type { SqlClient } from './sql-client.js';
import { anomalyStore } from './sql/anomalies.js';
import { auditLog } from './sql/audit.js';
import { deploymentStore } from './sql/deployments.js';
import { incidentStore } from './sql/incidents.js';
import { pushedPointStore } from './sql/pushed.js';
import { cursors, detectorStates, seriesRegistry } from './sql/series.js';
import type { Store } from './types.js';

export function createSqlStore(db: SqlClient): Store {
  return {
    backend: db.backend,
    ...seriesRegistry(db),
    ...detectorStates(db),
    ...anomalyStore(db),
    ...incidentStore(db),
    ...deploymentStore(db),
    ...cursors(db),
    ...auditLog(db),
    ...pushedPointStore(db),
    async ping() {
      await db.query('SELECT 1');
    },
    close: () => db.close(),
  };
}
