-- pgbench: one seeded product's ten columns, as GET /api/products/{id} reads them, by its unique lower(sku).
\set n random(1, 1000000)
select id, sku, name, description, price, quantity, active, version, created_at, updated_at from products where lower(sku) = lower('LOAD-' || lpad(:n::text, 7, '0'));
