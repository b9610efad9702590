-- wrk script of src/bench/rotation-under-load.sh: counts every response whose status is not 2xx (3xx included,
-- which wrk's own "Non-2xx or 3xx responses" line would not count) and prints the totals of all threads.
local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   responses = 0
   non2xx = 0
   unauthorized = 0
end

function response(status, headers, body)
   responses = responses + 1
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
      if status == 401 then
         unauthorized = unauthorized + 1
      end
   end
end

function done(summary, latency, requests)
   local total, bad, u401 = 0, 0, 0
   for _, thread in ipairs(threads) do
      total = total + thread:get("responses")
      bad = bad + thread:get("non2xx")
      u401 = u401 + thread:get("unauthorized")
   end
   local e = summary.errors
   io.write(string.format(
      "WRK_RESULT responses=%d non2xx=%d status401=%d requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d "
         .. "max_us=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
      total, bad, u401, summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(99), latency.max, e.connect, e.read, e.write, e.timeout))
end
