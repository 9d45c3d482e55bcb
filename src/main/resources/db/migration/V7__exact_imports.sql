-- Exact imports: every SKU is written at most once per import, with its last valid row.
-- A run first scans the whole file (phase 'scan') and stages each valid row's key and line; the
-- keys that occur more than once keep only their last line in import_last. The write phase then
-- skips every row that a later row supersedes, so no product is written twice by one import.

alter table import_jobs
    add column phase         varchar(8) not null default 'scan',  -- scan, write
    add column scanned_bytes bigint     not null default 0,        -- how far the scan got (progress)
    add column scanned_keys  bigint     not null default 0,        -- keys staged by committed scan batches
    add column repeated_keys bigint;                               -- keys with more than one row (after the scan)

-- Unlogged: staged keys are written once and read once, and the WAL would double their cost. A
-- PostgreSQL crash empties the table; the phase switch compares its count with scanned_keys and
-- scans again from the start when they differ, so a lost stage can never produce a wrong import.
create unlogged table import_keys (
    job_id uuid   not null,
    k      text   not null,   -- lower(sku), folded by PostgreSQL exactly as the unique index folds it
    line   bigint not null
);

-- The last line of each key that the file repeats: the write phase's look-ahead. Logged, since a
-- resumed write phase depends on it.
create table import_last (
    job_id uuid   not null references import_jobs (id) on delete cascade,
    k      text   not null,
    line   bigint not null,
    primary key (job_id, k)
);

-- Jobs that had not ended when this migration ran start again with the scan, from the first byte.
-- What an earlier run of them already wrote reads as unchanged then; the table ends the same.
update import_jobs set phase = 'scan', checkpoint_offset = 0, checkpoint_line = 0
where status in ('queued', 'running');
