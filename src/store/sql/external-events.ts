/**
 * Alerts and other events reported by other systems, keyed by their stable
 * id. Effects: inserts into `external_events`; an id already stored is left
 * as it was (the first report wins).
 */
import type { ExternalEvent } from '../../domain/index.js';
import type { SqlClient } from '../sql-client.js';
import type { ExternalEventStore } from '../types.js';

export function externalEventStore(db: SqlClient): ExternalEventStore {
  return {
    async insertExternalEvent(e) {
      const rows = await db.query<{ id: string }>(
        `INSERT INTO external_events (id, source, service, at, kind, status, doc) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [e.id, e.source, e.service, e.at, e.kind, e.status, JSON.stringify(e)],
      );
      return rows.length === 1;
    },
    async listExternalEvents(q = {}) {
      const rows = await db.query<{ doc: ExternalEvent }>(
        `SELECT doc FROM external_events
         WHERE ($1::text IS NULL OR service = $1) AND ($2::bigint IS NULL OR at >= $2) AND ($3::bigint IS NULL OR at < $3)
         ORDER BY at, id LIMIT $4`,
        [q.service ?? null, q.since ?? null, q.until ?? null, q.limit ?? null],
      );
      return rows.map((r) => r.doc);
    },
  };
}
