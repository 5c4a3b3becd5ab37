/**
 * Webhook deliveries already accepted, per (source, id): replay protection
 * that survives restarts and holds across processes sharing one database.
 * Effects: inserts into and deletes from `webhook_deliveries`. A claim is
 * one INSERT ... ON CONFLICT DO NOTHING, so two concurrent claims of the same
 * delivery cannot both win.
 */
import type { SqlClient } from '../sql-client.js';
import type { DeliveryStore } from '../types.js';

export function deliveryStore(db: SqlClient): DeliveryStore {
  return {
    async claimDelivery(source, id, at) {
      const rows = await db.query<{ id: string }>(
        `INSERT INTO webhook_deliveries (source, id, received_at) VALUES ($1, $2, $3)
         ON CONFLICT (source, id) DO NOTHING RETURNING id`,
        [source, id, at],
      );
      return rows.length === 1;
    },
    async releaseDelivery(source, id) {
      await db.query('DELETE FROM webhook_deliveries WHERE source = $1 AND id = $2', [source, id]);
    },
    async pruneDeliveries(before) {
      const rows = await db.query<{ n: number }>(
        `WITH gone AS (DELETE FROM webhook_deliveries WHERE received_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
        [before],
      );
      return rows[0]?.n ?? 0;
    },
  };
}
