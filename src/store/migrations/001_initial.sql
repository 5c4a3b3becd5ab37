-- Initial schema. Times are epoch milliseconds as bigint (data time unless a
-- column says otherwise). Only Postgres 15 features: the same file runs on
-- Debian's Postgres 15 and on PGlite (Postgres 18 in WASM).

-- Every series a source has returned. Looked up by key, listed by service.
CREATE TABLE series (
  key      text PRIMARY KEY,
  source   text  NOT NULL,
  metric   text  NOT NULL,
  service  text  NOT NULL,
  labels   jsonb NOT NULL
);
CREATE INDEX series_service_idx ON series (service, key);

-- One opaque snapshot per series; no foreign key to series so a detector can
-- be saved before (or without) its series being registered.
-- `json`, not `jsonb`: restore must see the snapshot exactly as saved
-- (jsonb reorders object keys, which broke configuration checks on restore).
CREATE TABLE detector_state (
  series_key  text PRIMARY KEY,
  state       json   NOT NULL,
  last_t      bigint NOT NULL,
  saved_at    timestamptz NOT NULL DEFAULT now()
);

-- (series_key, t) is the anomaly's identity: re-scoring the same point is a no-op.
CREATE TABLE anomalies (
  series_key  text   NOT NULL,
  t           bigint NOT NULL,
  service     text   NOT NULL,
  metric      text   NOT NULL,
  observed    float8 NOT NULL,
  expected    float8 NOT NULL,
  band_lo     float8 NOT NULL,
  band_hi     float8 NOT NULL,
  score       float8 NOT NULL,
  kind        text   NOT NULL,
  PRIMARY KEY (series_key, t)
);
CREATE INDEX anomalies_service_t_idx ON anomalies (service, t);
CREATE INDEX anomalies_t_idx ON anomalies (t);

-- The whole Incident lives in `doc`; the columns beside it are copies for
-- filtering, ordering and the one-open-per-service guarantee.
CREATE TABLE incidents (
  id               text PRIMARY KEY,
  service          text   NOT NULL,
  status           text   NOT NULL CHECK (status IN ('open', 'resolved')),
  opened_at        bigint NOT NULL,
  last_anomaly_at  bigint NOT NULL,
  resolved_at      bigint,
  doc              jsonb  NOT NULL
);
-- At most one open incident per service, enforced by the database so that
-- concurrent workers cannot both open one (openOrGetIncident relies on it).
CREATE UNIQUE INDEX incidents_one_open_per_service ON incidents (service) WHERE status = 'open';
CREATE INDEX incidents_service_opened_idx ON incidents (service, opened_at DESC);
CREATE INDEX incidents_opened_idx ON incidents (opened_at DESC);

CREATE TABLE incident_timeline (
  seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id  text   NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  at           bigint NOT NULL,
  kind         text   NOT NULL,
  text         text   NOT NULL,
  data         jsonb
);
CREATE INDEX incident_timeline_incident_idx ON incident_timeline (incident_id, at, seq);

CREATE TABLE deployments (
  id           text PRIMARY KEY,
  service      text   NOT NULL,
  environment  text   NOT NULL,
  version      text,
  started_at   bigint NOT NULL,
  finished_at  bigint,
  status       text   NOT NULL,
  actor        text,
  source       text   NOT NULL,
  url          text,
  strategy     text
);
CREATE INDEX deployments_service_started_idx ON deployments (service, started_at);
CREATE INDEX deployments_started_idx ON deployments (started_at);

-- High-water marks; the upsert uses GREATEST so a cursor never moves back.
CREATE TABLE source_cursors (
  source_id   text   NOT NULL,
  series_key  text   NOT NULL,
  t           bigint NOT NULL,
  PRIMARY KEY (source_id, series_key)
);

-- Append-only. `at` is wall-clock epoch ms; `seq` breaks ties in insertion order.
CREATE TABLE audit_log (
  seq     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at      bigint NOT NULL,
  actor   text   NOT NULL,
  action  text   NOT NULL,
  target  text   NOT NULL,
  params  jsonb  NOT NULL,
  result  text   NOT NULL,
  detail  text
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, seq DESC);
