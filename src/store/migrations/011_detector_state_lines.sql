-- A detector's line: every checkpoint written from now on gets an id
-- (`ckpt`), and the row keeps the checkpoint it grew from (`prior_ckpt`)
-- with the inputs that led from that one to this one (`prior`, JSON like
-- `fed`). A process whose detector in memory is on either checkpoint then
-- catches up by replaying inputs, instead of reading tens of KB of state,
-- also when it wrote the checkpoint itself (no inputs since) or when
-- another process has checkpointed once more since. NULL: no id (rows
-- written before, or a checkpoint of unknown origin), never matched.
ALTER TABLE detector_state ADD COLUMN ckpt text;
ALTER TABLE detector_state ADD COLUMN prior_ckpt text;
ALTER TABLE detector_state ADD COLUMN prior text;

-- A process of an earlier version rewrites a checkpoint without knowing
-- these columns (during a rolling upgrade): its write sets a new state and
-- clears `fed` but would leave the old id in place, and a process holding
-- the detector of that id would skip the inputs between. Such a write
-- clears the line instead. This code never writes a checkpoint without a
-- new id, nor inputs as NULL with the same id, so the trigger leaves its
-- own writes alone.
CREATE FUNCTION detector_state_line_unknown() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.ckpt := NULL;
  NEW.prior_ckpt := NULL;
  NEW.prior := NULL;
  RETURN NEW;
END
$$;
CREATE TRIGGER detector_state_line_unknown BEFORE UPDATE ON detector_state FOR EACH ROW
  WHEN (NEW.ckpt IS NOT NULL AND NEW.ckpt IS NOT DISTINCT FROM OLD.ckpt AND NEW.fed IS NULL)
  EXECUTE FUNCTION detector_state_line_unknown();
