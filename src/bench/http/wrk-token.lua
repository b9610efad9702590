-- wrk script of src/bench/token-bench.sh (run from the repository root): the token endpoints of JWT Keyring or of
-- Keycloak, chosen by the environment:
--   TOKEN_API=keyring   POST /auth/login with HTTP Basic bench:bench; POST /auth/refresh with a form body
--   TOKEN_API=keycloak  POST /realms/bench/protocol/openid-connect/token, grant_type=password (client bench, user
--                       bench, password bench) or grant_type=refresh_token
--   TOKEN_MODE=login    every request logs in
--   TOKEN_MODE=refresh  chained refreshes: run with as many threads as connections (-tN -cN), since wrk keeps one Lua
--                       state per thread and each thread here owns one chain. The chain starts with a login; every
--                       later request sends the newest refresh token of the chain, as a client would. A refused
--                       refresh (any status but 200) counts as an error and the chain starts again with a login.
-- After the run: a LOGINS line (logins asked for by refresh chains, plus the one request wrk asks its first thread's
-- script for before the run, to check it, and never sends) and the WRK_RESULT line of wrk-stats.lua. wrk counts
-- a response with a status above 399 as a status error.
dofile("src/bench/http/wrk-stats.lua")

local api = os.getenv("TOKEN_API") or "keyring"
local mode = os.getenv("TOKEN_MODE") or "login"
assert(api == "keyring" or api == "keycloak", "TOKEN_API must be keyring or keycloak")
assert(mode == "login" or mode == "refresh", "TOKEN_MODE must be login or refresh")

local basic = "Basic YmVuY2g6YmVuY2g="
local form = "application/x-www-form-urlencoded"
local keycloak_path = "/realms/bench/protocol/openid-connect/token"
local login_path, login_headers, login_body, refresh_path, refresh_prefix
if api == "keyring" then
   login_path, login_headers, login_body = "/auth/login", { ["Authorization"] = basic }, ""
   refresh_path, refresh_prefix = "/auth/refresh", "grant_type=refresh_token&refresh_token="
else
   login_path, login_headers = keycloak_path, { ["Content-Type"] = form }
   login_body = "grant_type=password&client_id=bench&username=bench&password=bench"
   refresh_path, refresh_prefix = keycloak_path, "grant_type=refresh_token&client_id=bench&refresh_token="
end

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

logins = 0

if mode == "login" then
   -- one fixed request and no per-request callback: wrk keeps its fast path
   wrk.method, wrk.path, wrk.body = "POST", login_path, login_body
   for name, value in pairs(login_headers) do
      wrk.headers[name] = value
   end
else
   local refresh_headers = { ["Content-Type"] = form }
   local refresh_token = nil

   function request()
      if refresh_token == nil then
         logins = logins + 1
         -- formatted here, not when the script loads: wrk adds its Host header only after that
         return wrk.format("POST", login_path, login_headers, login_body)
      end
      return wrk.format("POST", refresh_path, refresh_headers, refresh_prefix .. refresh_token)
   end

   function response(status, headers, body)
      if status == 200 then
         refresh_token = string.match(body, '"refresh_token"%s*:%s*"([^"]+)"')
      else
         refresh_token = nil
      end
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
