-- Accounts, login sessions and their rotating refresh tokens.
create table users (
    id            uuid primary key,
    email         varchar(254) not null,
    password_hash varchar(100) not null,
    roles         varchar(64)  not null,          -- comma-separated: ADMIN, EDITOR, VIEWER
    active        boolean      not null default true,
    version       bigint       not null default 0,
    created_at    timestamptz  not null default now(),
    last_login_at timestamptz
);
create unique index users_email_lower_uq on users (lower(email));

-- One row per login; access tokens carry its id as the "sid" claim.
create table auth_sessions (
    id            uuid primary key,
    user_id       uuid        not null references users (id) on delete cascade,
    created_at    timestamptz not null default now(),
    last_used_at  timestamptz not null default now(),
    expires_at    timestamptz not null,
    revoked_at    timestamptz,
    revoke_reason varchar(64),
    ip            varchar(64),
    user_agent    varchar(512)
);
create index auth_sessions_user on auth_sessions (user_id) where revoked_at is null;

-- Refresh tokens are stored hashed. A used one stays (used_at set) so that presenting it again
-- is recognised as theft and ends the whole session.
create table refresh_tokens (
    token_hash  varchar(64) primary key,
    session_id  uuid        not null references auth_sessions (id) on delete cascade,
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null,
    used_at     timestamptz
);
create index refresh_tokens_session on refresh_tokens (session_id);
create index refresh_tokens_expires on refresh_tokens (expires_at);
