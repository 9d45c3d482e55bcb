-- History and undo (issue #20): every change to a product is recorded, in the transaction that makes
-- it, and every import (and delete-all) can be taken back as a job of its own.

-- One row per change of one product. before/after hold only the fields that changed, as the API
-- names them ({"price": 9.5, "attributes": {"colour": "Red"}}; an attribute without a value is null
-- there). A creation has no before, a deletion no after: its before is the whole product, so an
-- undo can bring it back with its id. No foreign key to products: the history outlives the product.
create table product_history (
    product_id  uuid         not null,
    version     bigint       not null,  -- the product's version after the change (a deletion: the version it had)
    kind        varchar(8)   not null check (kind in ('created', 'updated', 'deleted', 'restored')),
    source      varchar(10)  not null check (source in ('api', 'import', 'undo', 'delete-all', 'dry-run')),
    job_id      uuid,                   -- the import, undo or delete-all that made it; null for API writes
    batch       integer,                -- the job's batch: an undo takes a job's changes back batch by batch
    sku         varchar(100) not null,
    at          timestamptz  not null default now(),
    actor_id    uuid,                   -- API writes; a job's rows take their actor from the job
    actor_email varchar(254),
    before      jsonb,
    after       jsonb
);
-- A product's versions, newest first; also "who changed it last" for an undo's conflicts.
create index product_history_product on product_history (product_id, version desc);
-- A job's changes in the order it made them: the changes endpoints and the undo's batches. A job's
-- rows arrive together, so this index grows at its edge like the table.
create index product_history_job on product_history (job_id, batch, product_id) where job_id is not null;
-- API writes are purged by age (a job's rows go with the job).
create index product_history_api_at on product_history (at) where job_id is null;

-- Jobs: imports, and now the undo of one and the delete-all that can be undone.
alter table import_jobs
    add column kind               varchar(10) not null default 'import' check (kind in ('import', 'undo', 'delete-all')),
    add column undo_of            uuid references import_jobs (id),
    add column undone_by          uuid,                 -- the undo job taking this one back: a second undo is refused
    add column force              boolean not null default false, -- undo: restore products changed since too
    add column created_by_email   varchar(254),         -- who asked for it, kept should the user be deleted
    add column records_history    boolean not null default true,  -- decided when the job was created
    add column history_purged_at  timestamptz,          -- retention is removing its changes: it can't be undone any more
    add column history_cleared_at timestamptz,          -- and has removed them all
    add column deleted            bigint not null default 0,      -- undo and delete-all: products deleted
    add column restored           bigint not null default 0,      -- undo: products brought back or set back
    add column conflicts          bigint not null default 0,      -- undo: products changed since, left alone
    alter column filename drop not null,                -- a delete-all has no file
    alter column object_key drop not null;
create index import_jobs_undo_of on import_jobs (undo_of) where undo_of is not null;

-- An import job as webhook payloads describe it; now with its kind and, for an undo, what it undid.
create or replace function import_job_summary(p_id uuid) returns jsonb
language sql stable as $$
    select jsonb_build_object(
        'id', j.id, 'filename', j.filename, 'status', j.status, 'options', j.options::jsonb,
        'processedRows', j.processed_rows, 'created', j.created, 'updated', j.updated,
        'unchanged', j.unchanged, 'duplicates', j.duplicates, 'rejected', j.rejected,
        'error', j.error_message, 'createdAt', j.created_at, 'startedAt', j.started_at,
        'completedAt', j.completed_at, 'kind', j.kind)
        -- Only where they mean something: an undo's counts and target, a delete-all's count.
        || jsonb_strip_nulls(jsonb_build_object(
        'undoOf', j.undo_of,
        'deleted', case when j.kind <> 'import' then j.deleted end,
        'restored', case when j.kind = 'undo' then j.restored end,
        'conflicts', case when j.kind = 'undo' then j.conflicts end))
    from import_jobs j where j.id = p_id
$$;
