#!/usr/bin/env bash
# Rotation under load: wrk loads GET /api/me of the keyring application with one user token for the whole run, while
# the admin API rotates the key (POST /admin/keys/rotate?force=true: at once, although each new PENDING key has been
# published for a second only) every INTERVAL seconds, ROTATIONS times. The user token's
# key becomes RETIRED at the first rotation and keeps verifying for its retire window, so every response must be 2xx.
#
#   src/bench/rotation-under-load.sh                          # 100 rotations, one a second, ES256, cache on
#   ROTATIONS=5 src/bench/rotation-under-load.sh              # a smoke run
#
# Settings (environment): ROTATIONS (100), INTERVAL (1, seconds), ALGORITHM (ES256), CACHE (on), STORE (pkcs12, the
# production default, which writes the ring to disk at every rotation; or memory), THREADS (2), CONNECTIONS (32),
# KEYRING_PORT (18080), JAVA_OPTS, OUT (target/bench), REBUILD=1.
#
# Prints total responses, non-2xx responses (3xx included) and rotations; writes $OUT/rotation-under-load.md. Exits
# with 1 if any response was not 2xx or any rotation did not answer 200.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUT=${OUT:-target/bench}
ROTATIONS=${ROTATIONS:-100}
INTERVAL=${INTERVAL:-1}
ALGORITHM=${ALGORITHM:-ES256}
CACHE=${CACHE:-on}
STORE=${STORE:-pkcs12}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
# Load before the first rotation and after the last one.
LEAD=${LEAD:-3}
HERE=src/bench/http
# shellcheck source-path=SCRIPTDIR source=http/lib.sh
source "$HERE/lib.sh"

WRK_PID=""
cleanup() {
    [[ -z "$WRK_PID" ]] || kill "$WRK_PID" 2>/dev/null || true
    stop_app
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_wrk
ensure_built
dir=$OUT/rotation-run
rm -rf "$dir"
mkdir -p "$dir"
KEYRING_STORE_PKCS12_PASSWORD=$(openssl rand -base64 24)
export KEYRING_STORE_PKCS12_PASSWORD

mapfile -t args < <(keyring_args "$dir" "$ALGORITHM" "$CACHE" "$STORE")
start_app "keyring ($ALGORITHM, cache $CACHE, store $STORE)" "$KEYRING_PORT" "$dir/keyring.log" "${args[@]}"
base="http://127.0.0.1:$KEYRING_PORT"
user=$(login "$KEYRING_PORT" bench)
admin=$(login "$KEYRING_PORT" benchadmin)
user_kid=$(jwt_header "$user" kid)
[[ $(status_of "$base/api/me" "$user") == 200 ]] || die "the user token does not work before the first rotation"

# wrk runs until LEAD seconds after the last rotation, however late that is: it is stopped with SIGINT, on which it
# prints its results as at the end of its duration. The duration is only an upper bound.
limit=$((3 * ROTATIONS * INTERVAL + 2 * LEAD + 120))
log "wrk: $THREADS threads, $CONNECTIONS connections on GET /api/me; $ROTATIONS rotations, one every ${INTERVAL}s"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${limit}s" --latency -s "$HERE/wrk-non2xx.lua" \
    -H "Authorization: Bearer $user" "$base/api/me" >"$dir/wrk.txt" 2>&1 &
WRK_PID=$!
sleep "$LEAD"

# Timing in microseconds with bash arithmetic: no process is started between two rotations but curl.
micros() { local t=${EPOCHREALTIME/./}; echo $((10#$t)); }
micros_as_seconds() { printf '%d.%06d' $(($1 / 1000000)) $(($1 % 1000000)); }
ok=0 failed=0 under_load=0 slowest_us=0
start_us=$(micros)
: >"$dir/rotations.txt"
for ((i = 1; i <= ROTATIONS; i++)); do
    # A failed connection counts as a failed rotation (status 000), not as the end of the script.
    result=$(curl -s --max-time 30 -o "$dir/rotate-last.json" -w '%{http_code} %{time_total}' -X POST \
        -H "Authorization: Bearer $admin" "$base/admin/keys/rotate?force=true") || true
    code=${result% *} took=${result#* }
    echo "$i $code $took" >>"$dir/rotations.txt"
    if [[ $code == 200 ]]; then ok=$((ok + 1)); else failed=$((failed + 1)); log "rotation $i answered $code"; fi
    kill -0 "$WRK_PID" 2>/dev/null && under_load=$((under_load + 1))
    took_us=$((10#${took/./}))
    ((took_us <= slowest_us)) || slowest_us=$took_us
    # The next rotation is due INTERVAL seconds after the previous one was due; a late one goes at once.
    wait_us=$((start_us + i * INTERVAL * 1000000 - $(micros)))
    ((i == ROTATIONS || wait_us <= 0)) || sleep "$(micros_as_seconds "$wait_us")"
done
elapsed=$(printf '%.1f' "$(micros_as_seconds $(($(micros) - start_us)))")
slowest=$(printf '%.3f' "$(micros_as_seconds "$slowest_us")")
log "$ok rotations answered 200, $failed did not, in ${elapsed}s; load goes on for ${LEAD}s"
sleep "$LEAD"
kill -INT "$WRK_PID" 2>/dev/null || log "WARNING: wrk had stopped before the end (its limit is ${limit}s)"
wait "$WRK_PID" || die "wrk failed: $(cat "$dir/wrk.txt")"
WRK_PID=""

result=$(grep '^WRK_RESULT ' "$dir/wrk.txt") || die "wrk printed no result: $(cat "$dir/wrk.txt")"
declare -A w
for kv in ${result#WRK_RESULT }; do w[${kv%%=*}]=${kv#*=}; done
wrk_line=$(grep -E 'Non-2xx or 3xx responses' "$dir/wrk.txt" || echo "no 'Non-2xx or 3xx responses' line, so none above 399")
sockets=$((w[connect_errors] + w[read_errors] + w[write_errors] + w[timeouts]))

# After the run: the user token's key, the states in the ring, and the token itself.
curl -sf -H "Authorization: Bearer $admin" "$base/admin/keys" >"$dir/keys.json"
states=$(python3 -c '
import collections, json, sys
keys = json.load(open(sys.argv[1]))
print(", ".join("%d %s" % (n, s) for s, n in sorted(collections.Counter(k["state"] for k in keys).items())))
print(next((k["state"] for k in keys if k["kid"] == sys.argv[2]), "absent"))' "$dir/keys.json" "$user_kid")
ring_states=$(head -1 <<<"$states")
user_key_state=$(tail -1 <<<"$states")
after=$(status_of "$base/api/me" "$user")
stop_app

report=$OUT/rotation-under-load.md
{
    echo "# Rotation under load"
    echo
    echo "Run $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) CPUs; $(java -version 2>&1 | head -1); keyring $ALGORITHM, cache $CACHE, store $STORE;"
    echo "wrk $THREADS threads, $CONNECTIONS connections, $((w[duration_us] / 1000000))s on GET /api/me with one user token, from ${LEAD}s before the first rotation to ${LEAD}s after the last; JVM options: ${JAVA_OPTS:-none}."
    echo
    echo "| measure | value |"
    echo "|---|---:|"
    echo "| responses | ${w[responses]} |"
    echo "| **non-2xx responses** (3xx included) | **${w[non2xx]}** |"
    echo "| of which 401 | ${w[status401]} |"
    echo "| socket errors (connect, read, write, timeout) | $sockets |"
    echo "| requests/s | ${w[rps]} |"
    echo "| p50 / p99 / max latency ms | $(awk -v a="${w[p50_us]}" -v b="${w[p99_us]}" -v c="${w[max_us]}" 'BEGIN { printf "%.2f / %.2f / %.2f", a/1000, b/1000, c/1000 }') |"
    echo "| rotations answered 200 | $ok of $ROTATIONS ($failed other) |"
    echo "| rotations while wrk was loading | $under_load |"
    echo "| rotation time: all / slowest request | ${elapsed} s / ${slowest} s |"
    echo "| ring after the run | $ring_states |"
    echo "| user token's key after the run | $user_key_state; the token answers $after |"
    echo
    echo "wrk's own count: ${wrk_line## }"
} >"$report"
cat "$report"
log "report: $report; wrk output and the keyring log in $dir"
[[ ${w[non2xx]} == 0 && $failed == 0 ]]
