/**
 * Where each notifier posted each incident (chat channel and message ts).
 * Effects: upserts into `notification_refs`. A row with ts NULL is a post in
 * flight: written before the post, completed after it.
 */
import type { SqlClient } from '../sql-client.js';
import type { NotificationRefStore } from '../types.js';

export function notificationRefStore(db: SqlClient): NotificationRefStore {
  return {
    async getNotificationRef(notifier, incidentId) {
      const [row] = await db.query<{
        channel: string;
        ts: string | null;
        posted_at: number;
        summary: boolean;
        replied: number;
      }>(
        'SELECT channel, ts, posted_at, summary, replied FROM notification_refs WHERE notifier = $1 AND incident_id = $2',
        [notifier, incidentId],
      );
      return row
        ? { channel: row.channel, ts: row.ts, postedAt: row.posted_at, summary: row.summary, replied: row.replied }
        : null;
    },
    async saveNotificationRef(notifier, incidentId, ref) {
      await db.query(
        `INSERT INTO notification_refs (notifier, incident_id, channel, ts, posted_at, summary, replied) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (notifier, incident_id) DO UPDATE SET channel = EXCLUDED.channel, ts = EXCLUDED.ts, posted_at = EXCLUDED.posted_at,
           summary = EXCLUDED.summary, replied = EXCLUDED.replied`,
        [notifier, incidentId, ref.channel, ref.ts, ref.postedAt, ref.summary ?? false, ref.replied ?? 0],
      );
    },
  };
}
