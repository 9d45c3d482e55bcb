-- Webhooks: endpoints, a transactional outbox of events, and one delivery per event and endpoint
-- with the log of its attempts.

create table webhook_endpoints (
    id                          uuid primary key,
    url                         varchar(2048) not null,
    events                      text[]        not null,      -- event types, or '*'
    active                      boolean       not null default true,   -- the admin's switch
    description                 varchar(500),
    secret                      varchar(128)  not null,      -- whsec_...; HMAC needs the secret itself, so it can't be hashed
    previous_secret             varchar(128),                -- still signs beside the new one until it expires
    previous_secret_expires_at  timestamptz,
    disabled_at                 timestamptz,                 -- set by the dispatcher (410 Gone, failing too long)
    disabled_reason             varchar(500),
    failing_since               timestamptz,                 -- first failed attempt since the last success
    version                     bigint        not null default 0,
    created_at                  timestamptz   not null default now(),
    updated_at                  timestamptz   not null default now()
);

-- The outbox. An event row is written in the transaction of the change it announces, together with
-- a pending delivery per subscribed endpoint: if the change rolls back, so does the announcement.
create table webhook_events (
    id          uuid primary key,
    type        varchar(64) not null,
    payload     jsonb       not null,                      -- {type, timestamp, data}: the body sent, byte for byte
    created_at  timestamptz not null default now()
);
create index webhook_events_created on webhook_events (created_at);

create table webhook_deliveries (
    id                uuid primary key,
    event_id          uuid        not null references webhook_events (id) on delete cascade,
    endpoint_id       uuid        not null references webhook_endpoints (id) on delete cascade,
    event_type        varchar(64) not null,
    status            varchar(16) not null default 'pending',   -- pending, succeeded, failed
    attempts          integer     not null default 0,
    next_attempt_at   timestamptz not null default now(),
    locked_by         varchar(128),                              -- the sender holding it; a lease, so a crash only delays it
    locked_until      timestamptz,
    last_status_code  integer,
    last_response_ms  integer,
    last_error        varchar(1000),
    last_attempt_at   timestamptz,
    created_at        timestamptz not null default now(),
    completed_at      timestamptz
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, created_at desc);
create index webhook_deliveries_event on webhook_deliveries (event_id);

create table webhook_attempts (
    delivery_id      uuid        not null references webhook_deliveries (id) on delete cascade,
    attempt          integer     not null,
    status_code      integer,
    response_ms      integer,
    error            varchar(1000),
    attempted_at     timestamptz not null,
    primary key (delivery_id, attempt)
);

-- Enqueues an event for every enabled endpoint subscribed to its type, in the caller's transaction.
-- Returns how many deliveries were created (0: nobody listens, and nothing is stored). The NOTIFY is
-- delivered at commit, so every replica's dispatcher wakes for exactly what was committed.
create function webhook_enqueue(p_type text, p_data jsonb) returns integer
language plpgsql as $$
declare
    event_id uuid;
    n integer;
begin
    if not exists (select 1 from webhook_endpoints e
                   where e.active and e.disabled_at is null and e.events && array[p_type, '*']) then
        return 0;
    end if;
    event_id := gen_random_uuid();
    insert into webhook_events (id, type, payload)
    values (event_id, p_type, jsonb_build_object(
        'type', p_type,
        'timestamp', to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'data', p_data));
    insert into webhook_deliveries (id, event_id, endpoint_id, event_type)
    select gen_random_uuid(), event_id, e.id, p_type
    from webhook_endpoints e
    where e.active and e.disabled_at is null and e.events && array[p_type, '*'];
    get diagnostics n = row_count;
    perform pg_notify('sluice_webhooks', '');
    return n;
end $$;

-- An import job as webhook payloads describe it. Call it in a statement after the one that changed
-- the job: a statement's own changes are invisible to it.
create function import_job_summary(p_id uuid) returns jsonb
language sql stable as $$
    select jsonb_build_object(
        'id', j.id, 'filename', j.filename, 'status', j.status, 'options', j.options::jsonb,
        'processedRows', j.processed_rows, 'created', j.created, 'updated', j.updated,
        'unchanged', j.unchanged, 'duplicates', j.duplicates, 'rejected', j.rejected,
        'error', j.error_message, 'createdAt', j.created_at, 'startedAt', j.started_at,
        'completedAt', j.completed_at)
    from import_jobs j where j.id = p_id
$$;
