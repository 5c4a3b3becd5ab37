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
