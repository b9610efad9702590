-- wrk script of src/bench/custody-login-bench.sh (run from the repository root): POST /auth/login with HTTP Basic
-- credentials (user bench, password bench); after the run, the WRK_RESULT line of wrk-stats.lua.
dofile("src/bench/http/wrk-stats.lua")
wrk.method = "POST"
wrk.headers["Authorization"] = "Basic YmVuY2g6YmVuY2g="
