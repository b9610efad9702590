-- wrk script for chained refreshes (issue 16's token-endpoint benchmark). Run it with as many threads as connections
-- (-tN -cN): wrk keeps one Lua state per thread, and each thread here owns one chain. The chain starts with a login
-- (POST /auth/login, HTTP Basic bench:bench); every later request is POST /auth/refresh with the newest refresh token
-- of the chain, as a client would send it. A refused refresh (any status but 200) is counted by wrk as an error and
-- the chain starts again with a login. After the run, the WRK_RESULT line of wrk-stats.lua; logins and refreshes are
-- both in its request count, and the LOGINS line says how many logins each thread made (one, unless refreshes failed).
dofile("src/bench/http/wrk-stats.lua")

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

local refresh_token = nil
logins = 0

function request()
   if refresh_token == nil then
      logins = logins + 1
      return wrk.format("POST", "/auth/login", { ["Authorization"] = "Basic YmVuY2g6YmVuY2g=" }, "")
   end
   return wrk.format("POST", "/auth/refresh", { ["Content-Type"] = "application/x-www-form-urlencoded" },
      "grant_type=refresh_token&refresh_token=" .. refresh_token)
end

function response(status, headers, body)
   if status == 200 then
      refresh_token = string.match(body, '"refresh_token"%s*:%s*"([^"]+)"')
   else
      refresh_token = nil
   end
end

local stats_done = done
done = function(summary, latency, requests)
   local total = 0
   for _, thread in ipairs(threads) do
      total = total + thread:get("logins")
   end
   io.write(string.format("LOGINS threads=%d logins=%d\n", #threads, total))
   stats_done(summary, latency, requests)
end
