/**
 * "Not an anomaly" feedback. Effects: inserts and revokes rows of
 * `anomaly_feedback`; revoking keeps the row (who and when) for the record.
 */
import type { SqlClient } from '../sql-client.js';
import type { AnomalyFeedback, FeedbackStore } from '../types.js';

interface FeedbackRow {
  id: string;
  series_key: string;
  kind: AnomalyFeedback['kind'];
  deviation: number;
  incident_id: string | null;
  created_by: string;
  created_at: number;
  revoked_at: number | null;
  revoked_by: string | null;
}

const toFeedback = (r: FeedbackRow): AnomalyFeedback => ({
  id: r.id,
  seriesKey: r.series_key,
  kind: r.kind,
  deviation: r.deviation,
  incidentId: r.incident_id,
  createdBy: r.created_by,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  revokedBy: r.revoked_by,
});

export function feedbackStore(db: SqlClient): FeedbackStore {
  return {
    async addFeedback(f) {
      await db.query(
        `INSERT INTO anomaly_feedback (id, series_key, kind, deviation, incident_id, created_by, created_at, revoked_at, revoked_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET series_key = EXCLUDED.series_key, kind = EXCLUDED.kind, deviation = EXCLUDED.deviation,
           incident_id = EXCLUDED.incident_id, created_by = EXCLUDED.created_by, created_at = EXCLUDED.created_at,
           revoked_at = EXCLUDED.revoked_at, revoked_by = EXCLUDED.revoked_by`,
        [f.id, f.seriesKey, f.kind, f.deviation, f.incidentId, f.createdBy, f.createdAt, f.revokedAt, f.revokedBy],
      );
    },
    async listFeedback(q) {
      const rows = await db.query<FeedbackRow>(
        `SELECT id, series_key, kind, deviation, incident_id, created_by, created_at, revoked_at, revoked_by FROM anomaly_feedback
         WHERE ($1::text IS NULL OR series_key = $1) AND ($2::boolean OR revoked_at IS NULL) ORDER BY created_at, id`,
        [q.seriesKey ?? null, q.includeRevoked === true],
      );
      return rows.map(toFeedback);
    },
    async revokeFeedback(id, by, at) {
      const rows = await db.query<{ id: string }>(
        'UPDATE anomaly_feedback SET revoked_at = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL RETURNING id',
        [id, at, by],
      );
      return rows.length > 0;
    },
  };
}
