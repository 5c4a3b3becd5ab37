/**
 * The audit log: append-only, read newest first. Effects: inserts into `audit_log`.
 */
import type { AuditEntry } from '../../domain/index.js';
import type { SqlClient } from '../sql-client.js';
import type { AuditLog } from '../types.js';

interface AuditRow {
  at: number;
  actor: string;
  action: string;
  target: string;
  params: Record<string, unknown>;
  result: AuditEntry['result'];
  detail: string | null;
}

export function auditLog(db: SqlClient): AuditLog {
  return {
    async appendAudit(e) {
      await db.query(
        `INSERT INTO audit_log (at, actor, action, target, params, result, detail)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)`,
        [e.at, e.actor, e.action, e.target, JSON.stringify(e.params), e.result, e.detail],
      );
    },
    async listAudit(q = {}) {
      const rows = await db.query<AuditRow>(
        `SELECT at, actor, action, target, params, result, detail FROM audit_log
         WHERE ($1::bigint IS NULL OR at >= $1) ORDER BY at DESC, seq DESC LIMIT $2`,
        [q.since ?? null, q.limit ?? null],
      );
      return rows.map((r): AuditEntry => ({ ...r }));
    },
  };
}
