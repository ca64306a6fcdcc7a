-- bench.http_bench: wrk's figures as one JSON line (latencies in microseconds).

-- Each connection's thread keeps the cookies responses set, as a browser does: the portal
-- signs its session cookie again when the idle clock moves (once a minute), and a Cookie header
-- never updated would have it signed again on every request after the first minute.
response = function(status, headers, body)
  local set = headers["Set-Cookie"]
  local sent = wrk.headers["Cookie"]
  if set and sent then
    local pair = set:match("^[^;]*")
    local name = pair:match("^[^=]*") .. "="
    local kept = {}
    for old in (sent .. "; "):gmatch("(.-); ") do
      if old:sub(1, #name) ~= name then table.insert(kept, old) end
    end
    table.insert(kept, pair)
    wrk.headers["Cookie"] = table.concat(kept, "; ")
  end
end

request = function()
  return wrk.format()
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50": %d, "p95": %d, "p99": %d, "errors": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.status + errors.timeout))
end
