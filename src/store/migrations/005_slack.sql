-- Where each notifier posted each incident, so a restarted process keeps
-- editing the same chat message. ts NULL marks a post in flight whose
-- outcome is unknown (the notifier looks it up before posting again).
CREATE TABLE notification_refs (
  notifier     text   NOT NULL,
  incident_id  text   NOT NULL,
  channel      text   NOT NULL,
  ts           text,
  posted_at    bigint NOT NULL,
  -- true when the incident is listed in a storm summary message instead of its own post
  summary      boolean NOT NULL DEFAULT false,
  -- timeline entries already posted as thread replies
  replied      int     NOT NULL DEFAULT 0,
  PRIMARY KEY (notifier, incident_id)
);

-- Silences: notifications for a service or a series are dropped until `until`.
CREATE TABLE silences (
  id           text   PRIMARY KEY,
  target_kind  text   NOT NULL CHECK (target_kind IN ('service', 'series')),
  target       text   NOT NULL,
  until        bigint NOT NULL,
  reason       text,
  created_by   text   NOT NULL,
  created_at   bigint NOT NULL
);
CREATE INDEX silences_until_idx ON silences (until);

-- "Not an anomaly" feedback per series and anomaly kind; revoked rows are kept for the record.
CREATE TABLE anomaly_feedback (
  id           text   PRIMARY KEY,
  series_key   text   NOT NULL,
  kind         text   NOT NULL,
  deviation    float8 NOT NULL,
  incident_id  text,
  created_by   text   NOT NULL,
  created_at   bigint NOT NULL,
  revoked_at   bigint,
  revoked_by   text
);
CREATE INDEX anomaly_feedback_series_idx ON anomaly_feedback (series_key);
