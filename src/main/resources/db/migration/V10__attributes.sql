-- Product attributes: the fields a team defines beyond the six core ones (Akeneo attributes,
-- Shopify metafields). A definition says how values are typed; the values live on the product, in
-- one jsonb object {code: value}, typed as JSON (numbers as numbers, booleans, dates as ISO text,
-- enum values in their option's spelling). An attribute without a value has no key.
create table attributes (
    code       varchar(63)  primary key check (code ~ '^[a-z][a-z0-9_]{0,62}$'),
    label      varchar(255) not null,
    type       varchar(8)   not null check (type in ('text', 'integer', 'number', 'boolean', 'date', 'enum', 'url')),
    required   boolean      not null default false,
    options    jsonb        not null default '[]',   -- the enum's options, in display order
    filterable boolean      not null default false,  -- gets an expression index for the list filters
    searchable boolean      not null default false,  -- matched by the list's q
    version    bigint       not null default 0,
    created_at timestamptz  not null default now(),
    updated_at timestamptz  not null default now()
);

-- A constant default: PostgreSQL adds the column without rewriting the table.
alter table products add column attributes jsonb not null default '{}';

-- The file's attribute values per staged row (only the non-empty ones); the write phase replaces
-- the file's attribute keys with them. Null when the file has no attribute column.
alter table import_rows add column attrs jsonb;

-- Columns of the file that fed nothing, [{name, sample, attribute?}], found when the job was created.
alter table import_jobs add column unmapped_columns jsonb;
