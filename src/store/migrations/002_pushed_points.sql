-- Points sent to POST /api/v1/metrics, waiting for the scheduler's pull.
-- (series_key, t) is the identity: a re-sent point replaces the value.
CREATE TABLE pushed_points (
  series_key  text   NOT NULL,
  t           bigint NOT NULL,
  v           double precision NOT NULL,
  PRIMARY KEY (series_key, t)
);
CREATE INDEX pushed_points_t ON pushed_points (t);
