/**
 * Silences with expiry. Effects: inserts/deletes rows of `silences`;
 * expired rows stay until removed and are simply not listed.
 */
import type { SqlClient } from '../sql-client.js';
import type { Silence, SilenceStore } from '../types.js';

interface SilenceRow {
  id: string;
  target_kind: 'service' | 'series';
  target: string;
  until: number;
  reason: string | null;
  created_by: string;
  created_at: number;
}

const toSilence = (r: SilenceRow): Silence => ({
  id: r.id,
  target: { kind: r.target_kind, value: r.target },
  until: r.until,
  reason: r.reason,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export function silenceStore(db: SqlClient): SilenceStore {
  return {
    async addSilence(s) {
      await db.query(
        `INSERT INTO silences (id, target_kind, target, until, reason, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET target_kind = EXCLUDED.target_kind, target = EXCLUDED.target, until = EXCLUDED.until,
           reason = EXCLUDED.reason, created_by = EXCLUDED.created_by, created_at = EXCLUDED.created_at`,
        [s.id, s.target.kind, s.target.value, s.until, s.reason, s.createdBy, s.createdAt],
      );
    },
    async listActiveSilences(now) {
      const rows = await db.query<SilenceRow>(
        'SELECT id, target_kind, target, until, reason, created_by, created_at FROM silences WHERE until > $1 ORDER BY until, id',
        [now],
      );
      return rows.map(toSilence);
    },
    async removeSilence(id) {
      const rows = await db.query<{ id: string }>('DELETE FROM silences WHERE id = $1 RETURNING id', [id]);
      return rows.length > 0;
    },
  };
}
