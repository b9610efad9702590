#!/usr/bin/env bash
# HTTP load benchmark: GET /api/me on the keyring application (verified-token cache off and on) against a static-key
# baseline (plain SmallRye JWT with one configured key, src/bench/baseline), with the same token strings, for each
# algorithm; and the no-token ceiling GET /api/public on both. One application runs at a time, on 127.0.0.1.
#
#   src/bench/http-bench.sh                       # HS256 RS256 PS256 ES256 EdDSA, 10 s warm-up, 30 s measured
#   DURATION=3s WARMUP=2s src/bench/http-bench.sh ES256     # a smoke run of one algorithm
#
# Settings (environment): DURATION (30s), WARMUP (10s), THREADS (2), CONNECTIONS (32), ALGORITHMS (or arguments),
# KEYRING_PORT (18080), BASELINE_PORT (18081), JAVA_OPTS (none; the same for both applications), OUT (target/bench),
# REBUILD=1 to rebuild both applications. wrk and the applications share the machine: use a quiet one.
#
# Output: a markdown table on stdout and in $OUT/http-results.md, the raw figures in $OUT/http-results.csv, and the
# chart $OUT/http-rps.svg (requests/s per algorithm: baseline, keyring cache off, keyring cache on).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUT=${OUT:-target/bench}
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
if (($# > 0)); then ALGORITHMS="$*"; else ALGORITHMS=${ALGORITHMS:-HS256 RS256 PS256 ES256 EdDSA}; fi
HERE=src/bench/http
# shellcheck source-path=SCRIPTDIR source=http/lib.sh
source "$HERE/lib.sh"

trap stop_app EXIT
trap 'exit 130' INT TERM

RUNS=$OUT/http-runs
CSV=$OUT/http-results.csv
mkdir -p "$OUT"
rm -rf "$RUNS"
mkdir -p "$RUNS"
echo "algorithm,app,cache,path,rps,p50_ms,p90_ms,p99_ms,max_ms,requests,status_errors,socket_errors" >"$CSV"

# measure <algorithm> <app> <cache> <port> <path> [token]: a warm-up run, then the measured run, appended to the CSV.
measure() {
    local alg=$1 app=$2 cache=$3 port=$4 path=$5 token=${6:-}
    local url="http://127.0.0.1:$port$path" header=()
    [[ -z "$token" ]] || header=(-H "Authorization: Bearer $token")
    [[ $(status_of "$url" "$token") == 200 ]] || die "$app ($alg, cache $cache) does not answer 200 on $path"
    local name="$alg-$app-$cache-${path//\//_}"
    log "$app ${alg} cache=$cache $path: warm-up $WARMUP"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "${header[@]}" "$url" >"$RUNS/$name.warmup.txt"
    log "$app ${alg} cache=$cache $path: measuring $DURATION"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$HERE/wrk-stats.lua" "${header[@]}" "$url" \
        >"$RUNS/$name.txt"
    python3 - "$alg" "$app" "$cache" "$path" "$RUNS/$name.txt" >>"$CSV" <<'EOF'
import sys
alg, app, cache, path, file = sys.argv[1:]
line = next(l for l in open(file) if l.startswith("WRK_RESULT "))
v = dict(kv.split("=") for kv in line.split()[1:])
ms = lambda key: "%.3f" % (int(v[key]) / 1000)
sockets = sum(int(v[k]) for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))
print(",".join([alg, app, cache, path, v["rps"], ms("p50_us"), ms("p90_us"), ms("p99_us"), ms("max_us"),
                v["requests"], v["status_errors"], str(sockets)]))
EOF
    tail -1 "$CSV" | awk -F, '{ printf "    %.0f requests/s, p50 %s ms, p99 %s ms, %s status errors, %s socket errors\n", $5, $6, $8, $11, $12 }' >&2
}

# baseline_key <dir> <algorithm> <token> <store password> <master>: writes the JWK Set of the key that signed the
# token to <dir>/verify-key.json, for the baseline. Public keys come from the keyring's JWKS; a derived HMAC period
# key is computed with the keyring's own DerivedHmacKeyRingManager (the JWKS never holds a secret).
baseline_key() {
    local dir=$1 alg=$2 token=$3 kid
    kid=$(jwt_header "$token" kid)
    if [[ $alg == HS* ]]; then
        java -cp "target/classes:$(ls target/quarkus-app/lib/boot/org.jboss.logging.jboss-logging-*.jar)" \
            "$HERE/HmacPeriodKey.java" "$kid" >"$dir/verify-key.json"
    else
        curl -sf "http://127.0.0.1:$KEYRING_PORT/.well-known/jwks.json" | python3 -c '
import json, sys
keys = [k for k in json.load(sys.stdin)["keys"] if k["kid"] == sys.argv[1]]
assert len(keys) == 1, "the token kid is not in the JWKS"
json.dump({"keys": keys}, sys.stdout)' "$kid" >"$dir/verify-key.json"
    fi
}

baseline_args() {
    local dir=$1 alg=$2
    if [[ $alg == HS* ]]; then
        echo "-Dsmallrye.jwt.verify.key.location=$ROOT/$dir/verify-key.json"
    else
        echo "-Dmp.jwt.verify.publickey.location=$ROOT/$dir/verify-key.json"
    fi
    echo "-Dmp.jwt.verify.publickey.algorithm=$(config_alg "$alg")"
    printf '%s\n' -jar "$BASELINE_JAR"
}

start_keyring() {
    local dir=$1 alg=$2 cache=$3 args
    mapfile -t args < <(keyring_args "$dir" "$alg" "$cache")
    start_app "keyring ($alg, cache $cache)" "$KEYRING_PORT" "$dir/keyring-cache-$cache.log" "${args[@]}"
}

start_baseline() {
    local dir=$1 alg=$2 args
    mapfile -t args < <(baseline_args "$dir" "$alg")
    start_app "baseline ($alg)" "$BASELINE_PORT" "$dir/baseline.log" "${args[@]}"
}

ensure_wrk
ensure_built
log "wrk: $THREADS threads, $CONNECTIONS connections, warm-up $WARMUP, measured $DURATION; algorithms: $ALGORITHMS"

FIRST_ALG=""
for alg in $ALGORITHMS; do
    dir=$RUNS/$alg
    mkdir -p "$dir"
    # A fresh store per algorithm, so that its first key has this algorithm; throwaway secrets.
    KEYRING_STORE_PASSWORD=$(openssl rand -base64 24)
    KEYRING_HMAC_MASTER_SECRET=$(openssl rand -base64 32)
    export KEYRING_STORE_PASSWORD KEYRING_HMAC_MASTER_SECRET

    # 1. keyring, cache off; it also issues the token all three runs use, and names its key.
    start_keyring "$dir" "$alg" off
    token=$(login "$KEYRING_PORT" bench)
    [[ $(jwt_header "$token" alg) == "$alg" ]] || die "the keyring signed with $(jwt_header "$token" alg), not $alg"
    baseline_key "$dir" "$alg" "$token"
    measure "$alg" keyring off "$KEYRING_PORT" /api/me "$token"
    stop_app

    # 2. the static-key baseline, with the key that signed the token.
    start_baseline "$dir" "$alg"
    [[ $(status_of "http://127.0.0.1:$BASELINE_PORT/api/me" "$token") == 200 ]] \
        || die "the baseline rejects the keyring's $alg token; see $dir/baseline.log"
    measure "$alg" baseline - "$BASELINE_PORT" /api/me "$token"
    stop_app

    # 3. keyring, cache on: a restart on the same store, so the same key and the same token.
    start_keyring "$dir" "$alg" on
    measure "$alg" keyring on "$KEYRING_PORT" /api/me "$token"
    stop_app
    if [[ -z "$FIRST_ALG" ]]; then
        FIRST_ALG=$alg FIRST_PASSWORD=$KEYRING_STORE_PASSWORD FIRST_MASTER=$KEYRING_HMAC_MASTER_SECRET
    fi
done

# The ceiling: GET /api/public, no token, on both applications (those of the first algorithm).
dir=$RUNS/$FIRST_ALG
KEYRING_STORE_PASSWORD=$FIRST_PASSWORD KEYRING_HMAC_MASTER_SECRET=$FIRST_MASTER
start_baseline "$dir" "$FIRST_ALG"
measure none baseline - "$BASELINE_PORT" /api/public
stop_app
start_keyring "$dir" "$FIRST_ALG" on
measure none keyring on "$KEYRING_PORT" /api/public
stop_app

java_version=$(java -version 2>&1 | head -1)
python3 "$HERE/report.py" "$CSV" "$OUT/http-results.md" "$OUT/http-rps.svg" \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(nproc)" "$java_version" "$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)" \
    "$THREADS" "$CONNECTIONS" "$WARMUP" "$DURATION" "${JAVA_OPTS:-none}"
cat "$OUT/http-results.md"
log "results: $OUT/http-results.md, $CSV, chart $OUT/http-rps.svg; wrk output in $RUNS"
