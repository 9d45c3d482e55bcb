-- Audit trail: who changed what, from where. Written in the transaction of the change.
create table audit_log (
    id           uuid primary key,
    at           timestamptz  not null default now(),
    actor_id     uuid,                       -- null: the system, or an unknown login email
    actor_email  varchar(254),
    action       varchar(64)  not null,      -- e.g. product.update, auth.login_failed
    entity       varchar(32)  not null,      -- product, import, webhook, user, session
    entity_id    varchar(64),
    changes      jsonb,                      -- {field: {before, after}} of the changed fields, or a summary
    ip           varchar(64),
    user_agent   varchar(512)
);
create index audit_log_at on audit_log (at desc, id desc);
create index audit_log_actor on audit_log (actor_id, at desc);
create index audit_log_entity on audit_log (entity, entity_id, at desc);
create index audit_log_action on audit_log (action, at desc);

-- Retention: each job runs once per interval across all replicas (the row is the claim).
create table maintenance_runs (
    name         varchar(64) primary key,
    started_at   timestamptz not null,
    started_by   varchar(160) not null,
    finished_at  timestamptz,
    result       text
);

-- The S3 object of a finished import is deleted after a while; this says it is gone.
alter table import_jobs add column object_deleted_at timestamptz;
create index import_jobs_finished_objects on import_jobs (completed_at) where object_deleted_at is null;
create index webhook_deliveries_done on webhook_deliveries (completed_at) where status <> 'pending';
create index auth_sessions_expires on auth_sessions (expires_at);
