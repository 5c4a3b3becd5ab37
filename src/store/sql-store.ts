/**
 * The Store over any SqlClient: the same SQL runs on PostgreSQL and PGlite.
 * Assumes the schema is migrated (see migrate.ts; openStore does both).
 * Effects and failure modes are those of the parts in sql/; every failure is
 * a VigilError from toStoreError.
 */
import type { SqlClient } from './sql-client.js';
import { anomalyStore } from './sql/anomalies.js';
import { auditLog } from './sql/audit.js';
import { deliveryStore } from './sql/deliveries.js';
import { deploymentStore } from './sql/deployments.js';
import { externalEventStore } from './sql/external-events.js';
import { feedbackStore } from './sql/feedback.js';
import { remediationStore } from './sql/remediation.js';
import { incidentStore } from './sql/incidents.js';
import { notificationRefStore } from './sql/notification-refs.js';
import { pointStore } from './sql/points.js';
import { pushedPointStore } from './sql/pushed.js';
import { detectorStates } from './sql/detector-states.js';
import { cursors, seriesRegistry } from './sql/series.js';
import { silenceStore } from './sql/silences.js';
import { verdictStore } from './sql/verdicts.js';
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
    ...pointStore(db),
    ...verdictStore(db),
    ...externalEventStore(db),
    ...deliveryStore(db),
    ...notificationRefStore(db),
    ...silenceStore(db),
    ...feedbackStore(db),
    ...remediationStore(db),
    async ping() {
      await db.query('SELECT 1');
    },
    async vacuumsItself() {
      if (db.backend === 'pglite') return false;
      // The server's switch, and the queue table's own (a table can opt out).
      const [row] = await db.query<{ on: boolean }>(
        `SELECT current_setting('autovacuum') = 'on' AND NOT COALESCE(
           (SELECT 'autovacuum_enabled=false' = ANY (reloptions) FROM pg_class WHERE oid = 'pushed_points'::regclass), false) AS on`,
      );
      return row?.on ?? false;
    },
    async compact() {
      // pushed_points is a queue (rows deleted once scored): without this its dead rows are never reused.
      const tables = 'detector_state, source_cursors, series, incidents, pushed_points';
      if (db.backend !== 'pglite') {
        // Several processes compact: a table another one is vacuuming is left to it.
        await db.exec(`VACUUM (SKIP_LOCKED) ${tables}`);
        return;
      }
      // One statement each: VACUUM cannot run inside the transaction a multi-statement script is.
      await db.exec(`VACUUM ${tables}`);
      await db.exec('CHECKPOINT');
    },
    close: () => db.close(),
  };
}
