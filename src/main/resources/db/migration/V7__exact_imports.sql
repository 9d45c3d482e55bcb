-- Exact imports: every SKU is written at most once per import, with its last valid row.
-- A run first reads the whole file once (phase 'scan'): it stages every valid row in import_rows and
-- each batch's extent in import_batches; the keys the file repeats keep only their last line in
-- import_last. The write phase then merges the staged batches into products with set-based
-- statements, skipping every row a later one supersedes, so no product is written twice by one
-- import, and the file is parsed only once.

alter table import_jobs
    add column phase           varchar(8) not null default 'scan',  -- scan, write
    add column scanned_bytes   bigint     not null default 0,        -- how far the scan got (progress)
    add column staged_rows     bigint     not null default 0,        -- rows staged by committed scan batches
    add column scan_batches    integer    not null default 0,        -- batches the scan has committed
    add column written_batches integer    not null default 0,        -- batches the write phase has committed
    add column repeated_keys   bigint;                               -- SKUs with more than one valid row

-- Unlogged: staged rows are written once and read once, and the WAL would double their cost. A
-- PostgreSQL crash empties the table: the phase switch then finds rows or batches missing and scans
-- again from the start; a write phase finds its batch short and fails the job with that reason. A
-- lost stage never makes a wrong import.
create unlogged table import_rows (
    job_id      uuid    not null,
    batch       integer not null,
    line        bigint  not null,
    k           text    not null,   -- lower(sku), folded by PostgreSQL exactly as the unique index folds it
    id          uuid    not null,   -- the product's key if this row creates it (UUIDv7 from the app)
    sku         text    not null,
    name        text,               -- null when the file has no name column
    description text,
    price       numeric(12, 2),
    quantity    integer,
    active      boolean,
    raw         text                -- the row's cells (JSON), only for files without a name column
);
-- The write phase reads one batch at a time. Batches arrive in order, so the index grows at its edge.
create index import_rows_batch on import_rows (job_id, batch);

create unlogged table import_batches (
    job_id     uuid    not null,
    batch      integer not null,
    rows       integer not null,   -- records in the batch, rejected ones included
    rejected   integer not null,   -- of which the mapper refused
    end_offset bigint  not null,   -- where the file stands after it: the write phase's bytesRead
    primary key (job_id, batch)
);

-- The last line of each key that the file repeats: the write phase's look-ahead.
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
