-- A detector's stored state is a checkpoint plus the inputs fed to it since
-- (`fed`, a JSON array of [t, v, load]): a pull job that scores a point or
-- two appends them instead of rewriting tens of KB of state, and the state
-- is rewritten whole only every few dozen points. Replaying `fed` on the
-- restored checkpoint gives the detector as it was at `last_t` (detectors
-- are deterministic). `fed` NULL: nothing fed since the checkpoint.
-- `state` NULL: no checkpoint, a detector that starts cold (a save that
-- keeps the checkpoint inserts NULL when there was none, and NOT NULL is
-- checked before ON CONFLICT could keep the stored one).
ALTER TABLE detector_state ADD COLUMN fed text;
ALTER TABLE detector_state ALTER COLUMN state DROP NOT NULL;
