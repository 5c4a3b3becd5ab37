/**
 * Normalised deployments, keyed by id. A later event for the same deploy
 * (started -> succeeded) replaces the row, with two exceptions that make
 * out-of-order webhooks harmless: started_at keeps the earliest value
 * reported (a terminal event may only know its own time), and a 'started'
 * arriving after a terminal status (succeeded, failed, stopped) keeps that
 * status and finished_at, filling only fields still empty.
 * Effects: upserts into `deployments`.
 */
import type { Deployment, DeploymentStatus, DeploymentStrategy } from '../../domain/index.js';
import type { SqlClient } from '../sql-client.js';
import type { DeploymentStore } from '../types.js';

const COLUMNS = 'id, service, environment, version, started_at, finished_at, status, actor, source, url, strategy';

interface DeploymentRow {
  id: string;
  service: string;
  environment: string;
  version: string | null;
  started_at: number;
  finished_at: number | null;
  status: string;
  actor: string | null;
  source: string;
  url: string | null;
  strategy: string | null;
}

const toDeployment = (r: DeploymentRow): Deployment => ({
  id: r.id,
  service: r.service,
  environment: r.environment,
  version: r.version,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  status: r.status as DeploymentStatus,
  actor: r.actor,
  source: r.source,
  url: r.url,
  strategy: r.strategy as DeploymentStrategy | null,
});

/** True in the upsert when a 'started' arrives after the stored deploy already ended. */
const LATE_START = `(EXCLUDED.status = 'started' AND deployments.status <> 'started')`;
const keepTerminal = (col: string) =>
  `${col} = CASE WHEN ${LATE_START} THEN deployments.${col} ELSE EXCLUDED.${col} END`;
const fillWhenLate = (col: string) =>
  `${col} = CASE WHEN ${LATE_START} THEN COALESCE(deployments.${col}, EXCLUDED.${col}) ELSE EXCLUDED.${col} END`;

export function deploymentStore(db: SqlClient): DeploymentStore {
  return {
    async upsertDeployment(d) {
      await db.query(
        `INSERT INTO deployments (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (id) DO UPDATE SET service = EXCLUDED.service, environment = EXCLUDED.environment,
           started_at = LEAST(deployments.started_at, EXCLUDED.started_at), source = EXCLUDED.source,
           ${keepTerminal('status')}, ${keepTerminal('finished_at')},
           ${fillWhenLate('version')}, ${fillWhenLate('actor')}, ${fillWhenLate('url')}, ${fillWhenLate('strategy')}`,
        [
          d.id,
          d.service,
          d.environment,
          d.version,
          d.startedAt,
          d.finishedAt,
          d.status,
          d.actor,
          d.source,
          d.url,
          d.strategy,
        ],
      );
    },
    async getDeployment(id) {
      const [row] = await db.query<DeploymentRow>(`SELECT ${COLUMNS} FROM deployments WHERE id = $1`, [id]);
      return row ? toDeployment(row) : null;
    },
    async listDeployments(q = {}) {
      const rows = await db.query<DeploymentRow>(
        `SELECT ${COLUMNS} FROM deployments
         WHERE ($1::text IS NULL OR service = $1) AND ($2::bigint IS NULL OR started_at >= $2)
           AND ($3::bigint IS NULL OR started_at < $3)
         ORDER BY started_at, id LIMIT $4`,
        [q.service ?? null, q.since ?? null, q.until ?? null, q.limit ?? null],
      );
      return rows.map(toDeployment);
    },
  };
}
