/**
 * Deploy verdicts, one per deployment; a later verdict for the same deploy
 * (more data arrived) replaces the earlier one. Effects: upserts into
 * `deploy_verdicts`; unjudgedServices reads `deployments` too.
 */
import type { DeployVerdict } from '../../domain/index.js';
import type { SqlClient } from '../sql-client.js';
import type { VerdictStore } from '../types.js';

export function verdictStore(db: SqlClient): VerdictStore {
  return {
    async saveVerdict(v) {
      await db.query(
        `INSERT INTO deploy_verdicts (deployment_id, service, outcome, decided_at, doc) VALUES ($1, $2, $3, $4, $5::jsonb)
         ON CONFLICT (deployment_id) DO UPDATE SET service = EXCLUDED.service, outcome = EXCLUDED.outcome,
           decided_at = EXCLUDED.decided_at, doc = EXCLUDED.doc`,
        [v.deploymentId, v.service, v.outcome, v.decidedAt, JSON.stringify(v)],
      );
    },
    async getVerdict(deploymentId) {
      const [row] = await db.query<{ doc: DeployVerdict }>('SELECT doc FROM deploy_verdicts WHERE deployment_id = $1', [
        deploymentId,
      ]);
      return row?.doc ?? null;
    },
    async unjudgedServices(services, since, until) {
      if (services.length === 0) return new Set();
      const rows = await db.query<{ service: string }>(
        `SELECT DISTINCT d.service FROM deployments d
         WHERE d.service = ANY($1::text[]) AND d.started_at >= $2 AND d.started_at < $3
           AND NOT EXISTS (SELECT 1 FROM deploy_verdicts v WHERE v.deployment_id = d.id)`,
        [[...new Set(services)], since, until],
      );
      return new Set(rows.map((r) => r.service));
    },
    async listVerdicts(q = {}) {
      const rows = await db.query<{ doc: DeployVerdict }>(
        `SELECT doc FROM deploy_verdicts WHERE ($1::text IS NULL OR service = $1)
         ORDER BY decided_at DESC, deployment_id LIMIT $2`,
        [q.service ?? null, q.limit ?? null],
      );
      return rows.map((r) => r.doc);
    },
  };
}
