-- wrk: GET /api/products/{id} for the ids in IDS_FILE (already in random order), with a bearer token (TOKEN).
-- The requests are formatted once per thread, not per request: wrk shares the 2 cores with the server
-- and PostgreSQL, and formatting each request in Lua cost it about a third of its CPU.
-- With RATE_DELAY_MS set, each connection pauses that long between requests (a paced run).
local reqs = {}
local pause = tonumber(os.getenv("RATE_DELAY_MS") or "0")
local i = 0

init = function(args)
  -- wrk.format fills in the Host header only once wrk has set up the thread, so not at load time.
  local auth = "Bearer " .. os.getenv("TOKEN")
  for line in io.lines(os.getenv("IDS_FILE")) do
    reqs[#reqs + 1] = wrk.format("GET", "/api/products/" .. line, { ["Authorization"] = auth, ["Accept"] = "application/json" })
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
  i = math.random(#reqs) -- each thread starts at its own place in the list
end

request = function()
  i = i % #reqs + 1
  return reqs[i]
end

if pause > 0 then
  delay = function() return pause end
end

done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f requests=%d non2xx=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.requests, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
