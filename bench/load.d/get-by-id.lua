-- wrk: GET /api/products/{id} for random ids from IDS_FILE, with a bearer token (TOKEN).
-- With RATE_DELAY_MS set, each connection pauses that long between requests (a paced run).
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do ids[#ids + 1] = line end
local auth = "Bearer " .. os.getenv("TOKEN")
local pause = tonumber(os.getenv("RATE_DELAY_MS") or "0")
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)

request = function()
  return wrk.format("GET", "/api/products/" .. ids[math.random(#ids)], { ["Authorization"] = auth, ["Accept"] = "application/json" })
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
