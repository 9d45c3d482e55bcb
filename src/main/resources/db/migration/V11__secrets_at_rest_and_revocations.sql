-- Webhook signing secrets are stored sealed (AES-256-GCM under APP_SECRETS_KEY):
-- "enc:v1:<key id>:<base64 nonce+ciphertext+tag>", about 110 characters for a whsec_ secret.
-- Rows written before this hold plaintext; the application seals them at its first start
-- (the webhook-secrets job), so nothing is rewritten here, where the key is unknown.
alter table webhook_endpoints alter column secret type varchar(512);
alter table webhook_endpoints alter column previous_secret type varchar(512);

-- Replicas that can't reach Redis read recent revocations from here (every sync interval).
create index auth_sessions_revoked on auth_sessions (revoked_at) where revoked_at is not null;
