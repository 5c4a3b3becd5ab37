-- Change and alert events from other systems (src/correlate/events).

-- Alerts and alarms reported by other systems; the whole ExternalEvent lives
-- in `doc`, the columns beside it are copies for filtering and ordering.
-- The id is stable per state change, so a re-sent alert inserts nothing.
CREATE TABLE external_events (
  id       text PRIMARY KEY,
  source   text   NOT NULL,
  service  text   NOT NULL,
  at       bigint NOT NULL,
  kind     text   NOT NULL,
  status   text   NOT NULL CHECK (status IN ('firing', 'resolved')),
  doc      jsonb  NOT NULL
);
CREATE INDEX external_events_service_at_idx ON external_events (service, at);
CREATE INDEX external_events_at_idx ON external_events (at);

-- Webhook deliveries already accepted (replay protection that survives a
-- restart and is shared by every process on one database). received_at is
-- wall-clock epoch ms, for pruning.
CREATE TABLE webhook_deliveries (
  source       text   NOT NULL,
  id           text   NOT NULL,
  received_at  bigint NOT NULL,
  PRIMARY KEY (source, id)
);
CREATE INDEX webhook_deliveries_received_idx ON webhook_deliveries (received_at);
