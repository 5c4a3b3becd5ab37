-- Remediation runs (src/remediate): one row per planned fix, its approvals,
-- and one row per step execution keyed by an idempotency key written BEFORE
-- the step runs, so a retried job or a restart never runs a step twice.
CREATE TABLE remediation_runs (
  id            text   PRIMARY KEY,
  incident_id   text   NOT NULL,
  service       text   NOT NULL,
  playbook      text   NOT NULL,
  status        text   NOT NULL CHECK (status IN ('awaiting_approval', 'approved', 'running', 'succeeded', 'failed',
                                                   'rejected', 'expired', 'escalated', 'reverted')),
  requested_by  text   NOT NULL,
  created_at    bigint NOT NULL,
  updated_at    bigint NOT NULL,
  expires_at    bigint NOT NULL,
  -- While running: the executor's lease; a run found 'running' past it was abandoned by a crash.
  lease_until   bigint,
  outcome       text,
  plan          jsonb  NOT NULL
);
-- At most one fix per service at a time.
CREATE UNIQUE INDEX remediation_runs_one_active_per_service ON remediation_runs (service)
  WHERE status IN ('awaiting_approval', 'approved', 'running');
CREATE INDEX remediation_runs_incident_idx ON remediation_runs (incident_id, created_at DESC);

CREATE TABLE remediation_approvals (
  run_id   text   NOT NULL REFERENCES remediation_runs (id) ON DELETE CASCADE,
  user_id  text   NOT NULL,
  groups   jsonb  NOT NULL,
  at       bigint NOT NULL,
  PRIMARY KEY (run_id, user_id)
);

CREATE TABLE remediation_steps (
  idempotency_key  text   PRIMARY KEY,
  -- Claim order: steps are listed in the order they were claimed.
  seq              bigint GENERATED ALWAYS AS IDENTITY,
  run_id           text   NOT NULL REFERENCES remediation_runs (id) ON DELETE CASCADE,
  step_id          text   NOT NULL,
  action           text   NOT NULL,
  status           text   NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'planned', 'skipped', 'unknown')),
  started_at       bigint NOT NULL,
  finished_at      bigint,
  summary          text,
  UNIQUE (run_id, step_id)
);
