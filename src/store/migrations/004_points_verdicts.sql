-- Recent raw points of every scored series: attribution compares a metric
-- before and after a deploy, verdicts judge every deploy, charts draw them.
-- Kept for a retention period (pruned by time), not forever.
CREATE TABLE metric_points (
  series_key  text   NOT NULL,
  t           bigint NOT NULL,
  v           float8 NOT NULL,
  PRIMARY KEY (series_key, t)
);
CREATE INDEX metric_points_t_idx ON metric_points (t);

-- One verdict per deployment; the whole DeployVerdict lives in `doc`.
CREATE TABLE deploy_verdicts (
  deployment_id  text   PRIMARY KEY,
  service        text   NOT NULL,
  outcome        text   NOT NULL CHECK (outcome IN ('pass', 'marginal', 'fail', 'inconclusive')),
  decided_at     bigint NOT NULL,
  doc            jsonb  NOT NULL
);
CREATE INDEX deploy_verdicts_service_idx ON deploy_verdicts (service, decided_at DESC);
