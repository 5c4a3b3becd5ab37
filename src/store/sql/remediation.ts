/**
 * Remediation runs, approvals and step executions (migration 006).
 * Effects: inserts and updates in `remediation_runs`, `remediation_approvals`,
 * `remediation_steps`. Guarantees: a partial unique index allows one active
 * run per service (a second is E_REMEDIATION_BUSY); status changes are
 * compare-and-set; a step's idempotency key is inserted with ON CONFLICT DO
 * NOTHING, so two executors can never both claim one step.
 */
import { VigilError } from '../../domain/errors.js';
import type { Approval, RunPlan, RunState, StepExecution } from '../../domain/index.js';
import type { SqlClient, SqlExecutor } from '../sql-client.js';
import type { RemediationStore } from '../types.js';

interface RunRow {
  id: string;
  status: RunState['status'];
  outcome: string | null;
  lease_until: number | null;
  updated_at: number;
  plan: RunPlan;
}
interface StepRow {
  idempotency_key: string;
  run_id: string;
  step_id: string;
  action: string;
  status: StepExecution['status'];
  started_at: number;
  finished_at: number | null;
  summary: string | null;
}

const ACTIVE = `('awaiting_approval', 'approved', 'running')`;

const toStep = (r: StepRow): StepExecution => ({
  runId: r.run_id,
  stepId: r.step_id,
  idempotencyKey: r.idempotency_key,
  action: r.action,
  status: r.status,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  summary: r.summary,
});

async function hydrate(db: SqlExecutor, rows: RunRow[]): Promise<RunState[]> {
  if (rows.length === 0) return [];
  const ids = JSON.stringify(rows.map((r) => r.id));
  const approvals = await db.query<{ run_id: string; user_id: string; at: number }>(
    `SELECT run_id, user_id, at FROM remediation_approvals
     WHERE run_id IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY at, user_id`,
    [ids],
  );
  const steps = await db.query<StepRow>(
    `SELECT idempotency_key, run_id, step_id, action, status, started_at, finished_at, summary FROM remediation_steps
     WHERE run_id IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY seq`,
    [ids],
  );
  return rows.map((r): RunState => ({
    plan: { ...r.plan, status: r.status },
    status: r.status,
    outcome: r.outcome,
    leaseUntil: r.lease_until,
    updatedAt: r.updated_at,
    approvals: approvals.filter((a) => a.run_id === r.id).map((a): Approval => ({ userId: a.user_id, at: a.at })),
    steps: steps.filter((s) => s.run_id === r.id).map(toStep),
  }));
}

const RUN_COLUMNS = 'id, status, outcome, lease_until, updated_at, plan';

export function remediationStore(db: SqlClient): RemediationStore {
  return {
    async createRun(plan, now) {
      try {
        await db.transaction(async (tx) => {
          await tx.query(
            `UPDATE remediation_runs SET status = 'expired', updated_at = $2, outcome = 'expired before approval'
             WHERE service = $1 AND status = 'awaiting_approval' AND expires_at <= $2`,
            [plan.service, now],
          );
          await tx.query(
            `INSERT INTO remediation_runs (id, incident_id, service, playbook, status, requested_by, created_at, updated_at, expires_at, plan)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9::jsonb)`,
            [
              plan.runId,
              plan.incidentId,
              plan.service,
              plan.playbook,
              plan.status,
              plan.requestedBy,
              now,
              plan.expiresAt,
              JSON.stringify(plan),
            ],
          );
        });
      } catch (err) {
        if (err instanceof VigilError && err.code === 'E_STORE_CONFLICT') {
          const [other] = await db.query<{ id: string; playbook: string }>(
            `SELECT id, playbook FROM remediation_runs WHERE service = $1 AND status IN ${ACTIVE}`,
            [plan.service],
          );
          throw new VigilError(
            'E_REMEDIATION_BUSY',
            `service ${plan.service} already has an active fix${other ? ` (run ${other.id}, playbook ${other.playbook})` : ''}; one fix per service at a time`,
          );
        }
        throw err;
      }
    },
    async getRun(runId) {
      const rows = await db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM remediation_runs WHERE id = $1`, [runId]);
      return (await hydrate(db, rows))[0] ?? null;
    },
    async listRuns(q = {}) {
      const rows = await db.query<RunRow>(
        `SELECT ${RUN_COLUMNS} FROM remediation_runs
         WHERE ($1::text IS NULL OR incident_id = $1) AND ($2::text IS NULL OR service = $2)
         ORDER BY created_at DESC, id DESC LIMIT $3`,
        [q.incidentId ?? null, q.service ?? null, q.limit ?? null],
      );
      return hydrate(db, rows);
    },
    async transitionRun(runId, from, to, opts) {
      const setLease = opts.leaseUntil !== undefined;
      const rows = await db.query<{ id: string }>(
        `UPDATE remediation_runs SET status = $2, updated_at = $4,
           outcome = CASE WHEN $5::boolean THEN $6 ELSE outcome END,
           lease_until = CASE WHEN $7::boolean THEN $8::bigint ELSE lease_until END
         WHERE id = $1 AND status IN (SELECT jsonb_array_elements_text($3::jsonb))
           AND ($9::bigint IS NULL OR lease_until IS NULL OR lease_until < $9)
         RETURNING id`,
        [
          runId,
          to,
          JSON.stringify(from),
          opts.now,
          opts.outcome !== undefined,
          opts.outcome ?? null,
          setLease,
          opts.leaseUntil ?? null,
          opts.leaseBefore ?? null,
        ],
      );
      return rows.length === 1;
    },
    async addApproval(runId, a) {
      const rows = await db.query<{ user_id: string }>(
        `INSERT INTO remediation_approvals (run_id, user_id, groups, at) VALUES ($1, $2, $3::jsonb, $4)
         ON CONFLICT (run_id, user_id) DO NOTHING RETURNING user_id`,
        [runId, a.userId, JSON.stringify(a.groups), a.at],
      );
      return rows.length === 1;
    },
    async claimStep(e) {
      const rows = await db.query<{ idempotency_key: string }>(
        `INSERT INTO remediation_steps (idempotency_key, run_id, step_id, action, status, started_at, finished_at, summary)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING idempotency_key`,
        [e.idempotencyKey, e.runId, e.stepId, e.action, e.status, e.startedAt, e.finishedAt, e.summary],
      );
      if (rows.length === 1) return null;
      const [existing] = await db.query<StepRow>(
        `SELECT idempotency_key, run_id, step_id, action, status, started_at, finished_at, summary FROM remediation_steps
         WHERE idempotency_key = $1 OR (run_id = $2 AND step_id = $3)`,
        [e.idempotencyKey, e.runId, e.stepId],
      );
      if (!existing) throw new VigilError('E_STORE_QUERY', `step ${e.idempotencyKey} neither claimed nor found`);
      return toStep(existing);
    },
    async finishStep(key, status, summary, finishedAt) {
      await db.query(
        'UPDATE remediation_steps SET status = $2, summary = $3, finished_at = $4 WHERE idempotency_key = $1',
        [key, status, summary, finishedAt],
      );
    },
  };
}
