-- Interrupted import runs are retried with backoff instead of at once (issue #16).
-- A run cut short by a lost PostgreSQL or S3 connection hands its job back with a not-before time
-- that every instance honours; the instance that was interrupted waits twice as long, so another
-- one gets the first chance. The streak (how many runs, since when, at which checkpoint) decides
-- when the job is failed for good: only after both a number of runs and a time budget, and a run
-- that moved the checkpoint starts a new streak.
alter table import_jobs
    add column retry_not_before   timestamptz,   -- no instance claims the job before this
    add column interrupted_by     varchar(160),  -- the instance whose run was interrupted last
    add column interrupted_at     timestamptz,   -- when; with retry_not_before, the backoff it was given
    add column interrupted_since  timestamptz,   -- first interruption of the current streak
    add column interruptions      integer not null default 0,  -- interrupted runs in the current streak
    add column interrupted_offset bigint,        -- the checkpoint at the last interruption
    add column last_interruption  text;          -- what interrupted it, for the log and the final error
