-- Imports: uploads, jobs with their checkpoint and lease, and rejected rows.

-- The import that last wrote a product: lets a later batch of the same import recognise a SKU
-- it already wrote (a repeat in the file, where the last row wins) instead of counting it twice.
alter table products add column last_import_id uuid;

create table uploads (
    id                  uuid primary key,
    object_key          varchar(512) not null unique,
    filename            varchar(255) not null,
    size                bigint       not null,
    content_type        varchar(255),
    multipart_upload_id varchar(1024),
    part_size           bigint,
    status              varchar(16)  not null,   -- pending, completed, aborted
    created_by          uuid,
    created_at          timestamptz  not null default now(),
    expires_at          timestamptz  not null,
    completed_at        timestamptz
);
create index uploads_pending on uploads (created_at) where status = 'pending';

create table import_jobs (
    id                uuid primary key,
    filename          varchar(255) not null,
    object_key        varchar(512) not null,
    status            varchar(16)  not null,     -- queued, running, completed, failed, cancelled
    options           text         not null,     -- JSON
    encoding          varchar(32),
    delimiter         varchar(1),
    header            text,                      -- JSON array: the header, kept so a resumed run can start mid-file
    total_rows        bigint,
    processed_rows    bigint not null default 0,
    created           bigint not null default 0,
    updated           bigint not null default 0,
    unchanged         bigint not null default 0,
    rejected          bigint not null default 0,
    duplicates        bigint not null default 0,
    bytes_total       bigint,
    bytes_read        bigint not null default 0,
    checkpoint_offset bigint not null default 0,  -- byte just after the last committed row
    checkpoint_line   bigint not null default 0,  -- physical lines before that byte
    error_message     text,
    notes             text,
    created_by        uuid,
    created_at        timestamptz not null default now(),
    started_at        timestamptz,
    completed_at      timestamptz,
    cancel_requested  boolean not null default false,
    lease_owner       varchar(128),
    lease_expires_at  timestamptz,
    attempts          integer not null default 0
);
create index import_jobs_status_created on import_jobs (status, created_at);
create index import_jobs_created on import_jobs (created_at desc);

-- Rejected rows: the row as it was in the file and every reason it was refused.
create table import_rejects (
    job_id  uuid   not null references import_jobs (id) on delete cascade,
    line    bigint not null,
    raw     jsonb  not null,                       -- the row's cells as parsed
    errors  jsonb  not null,                       -- [{column, value, reason}]
    primary key (job_id, line)
);
