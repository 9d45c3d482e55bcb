-- Sign-in codes by email (issue 24).

-- Accounts that sign in only with a code have no password.
alter table users alter column password_hash drop not null;

-- One row per email address (lower-cased), whether or not it has an account: the cooldown, the
-- hourly cap and the lock-out then behave the same for every address, so answers leak nothing.
-- Only the latest code lives here (a new one replaces it), as a bcrypt hash; null once used.
create table otp_codes (
    email        varchar(254) primary key,
    code_hash    varchar(100),
    expires_at   timestamptz,
    sent_at      timestamptz,                 -- last code sent: the resend cooldown starts here
    window_start timestamptz,                 -- the hourly cap counts codes sent since this
    window_count integer     not null default 0,
    attempts     integer     not null default 0, -- wrong codes since the last code, lock or sign-in
    locked_until timestamptz,
    updated_at   timestamptz not null default now()
);
create index otp_codes_updated on otp_codes (updated_at);
