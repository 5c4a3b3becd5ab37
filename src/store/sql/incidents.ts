/**
 * Incidents and their timelines.
 *
 * The whole Incident is kept in `doc`; status, service and times are copied
 * into columns for filtering and for the partial unique index that allows one
 * open incident per service. `openOrGetIncident` leans on that index, so it
 * stays atomic across processes without locks. Open incidents by member
 * service (`members`) are found through that index and a GIN index on
 * `doc -> 'services'` (migration 008) instead of reading every open incident.
 * Failure modes: updating a missing incident -> E_STORE_NOT_FOUND; reopening
 * one while another is open on the service -> E_STORE_CONFLICT; a timeline
 * entry for a missing incident -> E_STORE_NOT_FOUND (foreign key).
 */
import { VigilError } from '../../domain/errors.js';
import type { Incident, TimelineEntry, TimelineKind } from '../../domain/index.js';
import type { SqlClient } from '../sql-client.js';
import type { IncidentStore } from '../types.js';

const columns = (i: Incident) => [
  i.id,
  i.service,
  i.status,
  i.openedAt,
  i.lastAnomalyAt,
  i.resolvedAt,
  JSON.stringify(i),
];

// A resolve racing with our insert can leave neither a conflict winner nor an
// open row to read; a few retries settle it (each one is a fresh snapshot).
const OPEN_ATTEMPTS = 5;

export function incidentStore(db: SqlClient): IncidentStore {
  const openOf = async (service: string) =>
    (
      await db.query<{ doc: Incident }>(`SELECT doc FROM incidents WHERE service = $1 AND status = 'open'`, [service])
    )[0]?.doc ?? null;

  return {
    async openOrGetIncident(draft) {
      if (draft.status !== 'open') {
        throw new VigilError(
          'E_STORE_QUERY',
          `openOrGetIncident needs an open draft, got status ${draft.status} for ${draft.id}`,
        );
      }
      for (let attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
        const inserted = await db.query(
          `INSERT INTO incidents (id, service, status, opened_at, last_anomaly_at, resolved_at, doc)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
           ON CONFLICT (service) WHERE status = 'open' DO NOTHING RETURNING id`,
          columns(draft),
        );
        if (inserted.length > 0) return { incident: draft, created: true };
        const open = await openOf(draft.service);
        if (open) return { incident: open, created: false };
      }
      throw new VigilError('E_STORE_CONFLICT', `could not open or find the open incident of ${draft.service}`, true);
    },
    async updateIncident(incident) {
      const rows = await db.query(
        `UPDATE incidents SET service = $2, status = $3, opened_at = $4, last_anomaly_at = $5, resolved_at = $6, doc = $7::jsonb
         WHERE id = $1 RETURNING id`,
        columns(incident),
      );
      if (rows.length === 0) throw new VigilError('E_STORE_NOT_FOUND', `no incident ${incident.id} to update`);
    },
    async getIncident(id) {
      return (await db.query<{ doc: Incident }>('SELECT doc FROM incidents WHERE id = $1', [id]))[0]?.doc ?? null;
    },
    async listIncidents(q = {}) {
      const rows = await db.query<{ doc: Incident }>(
        `SELECT doc FROM incidents
         WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR service = $2)
           AND ($4::text[] IS NULL OR service = ANY($4::text[]) OR doc -> 'services' ?| $4::text[])
           AND ($5::bigint IS NULL OR opened_at >= $5) AND ($6::bigint IS NULL OR opened_at <= $6)
         ORDER BY opened_at DESC, id DESC LIMIT $3`,
        [
          q.status ?? null,
          q.service ?? null,
          q.limit ?? null,
          q.members === undefined ? null : [...q.members],
          q.opened?.from ?? null,
          q.opened?.to ?? null,
        ],
      );
      return rows.map((r) => r.doc);
    },
    async appendTimeline(incidentId, entry) {
      await db.query(
        'INSERT INTO incident_timeline (incident_id, at, kind, text, data) VALUES ($1, $2, $3, $4, $5::jsonb)',
        [incidentId, entry.at, entry.kind, entry.text, entry.data === undefined ? null : JSON.stringify(entry.data)],
      );
    },
    async timeline(incidentId) {
      const rows = await db.query<{ at: number; kind: string; text: string; data: Record<string, unknown> | null }>(
        'SELECT at, kind, text, data FROM incident_timeline WHERE incident_id = $1 ORDER BY at, seq',
        [incidentId],
      );
      return rows.map((r): TimelineEntry => ({
        at: r.at,
        kind: r.kind as TimelineKind,
        text: r.text,
        ...(r.data === null ? {} : { data: r.data }),
      }));
    },
  };
}
