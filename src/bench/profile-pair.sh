#!/usr/bin/env bash
# CPU profile of the keyring and the static-key baseline under the same load, to find where the keyring spends more
# per request. Both run side by side on 127.0.0.1 as in http-bench.sh (same token, same key); each is warmed up, then
# async-profiler (from Maven Central, tools.profiler:async-profiler) is attached to both with jcmd, and wrk loads them
# in turns. The result is CPU microseconds per request, frame by frame, keyring beside baseline.
#
#   src/bench/profile-pair.sh                         # HS256, GET /api/me, keyring with the cache off
#   src/bench/profile-pair.sh RS256                   # another algorithm
#   src/bench/profile-pair.sh HS256 /api/public       # the no-token ceiling
#   CACHE=on src/bench/profile-pair.sh ES256          # the keyring with its verified-token cache
#
# Settings (environment): CACHE (off), WARMUP (40s per application), SLICES (3), SLICE (10s), INTERVAL (200us, the
# sampling interval of CPU time), EVENT (cpu; itimer where perf events are not allowed), THREADS (2), CONNECTIONS (32),
# KEYRING_PORT (18080), BASELINE_PORT (18081), OUT (target/bench-profile).
#
# Output in $OUT: keyring.collapsed and baseline.collapsed (collapsed stacks), requests.txt, interval_us.txt, and
# the summary on stdout. Dig further with src/bench/http/profile-diff.py "$OUT" --by self|package|children|callers.
# Profiling slows both applications; compare the two profiles with each other, not with http-bench.sh's figures.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUT=${OUT:-target/bench-profile}
ALG=${1:-HS256}
TARGET_PATH=${2:-/api/me}
CACHE=${CACHE:-off}
WARMUP=${WARMUP:-40s}
SLICES=${SLICES:-3}
SLICE=${SLICE:-10s}
INTERVAL=${INTERVAL:-200us}
EVENT=${EVENT:-cpu}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
PROFILER_VERSION=4.1
HERE=src/bench/http
# shellcheck source-path=SCRIPTDIR source=http/lib.sh
source "$HERE/lib.sh"

trap stop_app EXIT
trap 'exit 130' INT TERM

[[ $INTERVAL =~ ^([0-9]+)us$ ]] || die "INTERVAL must be given in microseconds, such as 200us"
INTERVAL_US=${BASH_REMATCH[1]}
[[ $CACHE == on || $CACHE == off ]] || die "CACHE must be on or off"

# ensure_profiler: the async-profiler library for this machine, from the jar Maven Central publishes.
ensure_profiler() {
    local arch jar
    case $(uname -m) in
    x86_64) arch=linux-x64 ;;
    aarch64) arch=linux-arm64 ;;
    *) die "async-profiler has no library for $(uname -m)" ;;
    esac
    PROFILER_LIB=$ROOT/target/async-profiler/$arch/libasyncProfiler.so
    [[ -f $PROFILER_LIB ]] && return
    jar=$HOME/.m2/repository/tools/profiler/async-profiler/$PROFILER_VERSION/async-profiler-$PROFILER_VERSION.jar
    if [[ ! -f $jar ]]; then
        log "fetching async-profiler $PROFILER_VERSION from Maven Central"
        ./mvnw -q dependency:get -Dartifact="tools.profiler:async-profiler:$PROFILER_VERSION" \
            || die "could not fetch tools.profiler:async-profiler:$PROFILER_VERSION"
    fi
    mkdir -p target/async-profiler
    (cd target/async-profiler && unzip -q -o "$jar" "$arch/*") || die "could not unpack $jar"
}

# profiler <pid> <command>: one async-profiler command, through the JVM's attach mechanism. The quotes keep jcmd from
# reading the commas and equals signs of the command as its own options.
profiler() {
    jcmd "$1" JVMTI.agent_load "$PROFILER_LIB" "\"$2\"" >/dev/null || die "async-profiler refused '$2' in pid $1"
}

ensure_wrk
ensure_built
ensure_profiler
RUNS=$OUT/runs
rm -rf "$OUT"
mkdir -p "$RUNS"
dir=$RUNS/$ALG
prepare "$ALG"
token=""
header=()
if [[ $TARGET_PATH == /api/me ]]; then
    token=$(cat "$dir/token")
    header=(-H "Authorization: Bearer $token")
fi

start_keyring "$dir" "$ALG" "$CACHE" "$KEYRING_PORT"
keyring_pid=$APP_PID
start_baseline "$dir" "$ALG"
baseline_pid=$APP_PID
declare -A PID=([keyring]=$keyring_pid [baseline]=$baseline_pid)
declare -A PORT=([keyring]=$KEYRING_PORT [baseline]=$BASELINE_PORT)

for app in keyring baseline; do
    url="http://127.0.0.1:${PORT[$app]}$TARGET_PATH"
    [[ $(status_of "$url" "$token") == 200 ]] || die "$app does not answer 200 on $TARGET_PATH"
    log "$app: warming up for $WARMUP"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "${header[@]}" "$url" >"$RUNS/$app.warmup.txt"
done
for app in keyring baseline; do
    profiler "${PID[$app]}" "start,event=$EVENT,interval=$INTERVAL,cstack=vm"
done
log "profiling: $SLICES slices of $SLICE each, in turns, every $INTERVAL of CPU time"
: >"$OUT/requests.txt"
for n in $(seq "$SLICES"); do
    for app in keyring baseline; do
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$SLICE" "${header[@]}" "http://127.0.0.1:${PORT[$app]}$TARGET_PATH" \
            >"$RUNS/$app.slice$n.txt"
        echo "$app $(awk '/requests in/ { print $1 }' "$RUNS/$app.slice$n.txt")" >>"$OUT/requests.txt"
    done
done
for app in keyring baseline; do
    profiler "${PID[$app]}" "stop,file=$(realpath "$OUT")/$app.collapsed,collapsed"
done
echo "$INTERVAL_US" >"$OUT/interval_us.txt"
python3 "$HERE/profile-diff.py" "$OUT" --top 40
log "profiles in $OUT; more views: python3 $HERE/profile-diff.py $OUT --by self|package|children|callers"
