-- The planner's row estimate for a query, for list totals too large to count exactly on every page
-- (counting 100,000 matches of a search costs more than fetching the page). Callers build the query
-- with format(... %L ...), so values arrive quoted by the server, never spliced by the application.
create function count_estimate(query text) returns bigint
language plpgsql volatile as $$
declare
    plan jsonb;
begin
    execute 'explain (format json) ' || query into plan;
    return (plan -> 0 -> 'Plan' ->> 'Plan Rows')::bigint;
end $$;
