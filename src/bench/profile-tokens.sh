#!/usr/bin/env bash
# Where a login or a refresh spends its time, including the time it waits: wall-clock and lock profiles of the
# packaged service under load on its token endpoints (async-profiler, from Maven Central, attached with jcmd). A CPU
# profile only shows work; a request that waits for a disk or for another request's lock shows up here. Issue 16 used
# this to find what kept the CPU idle at full load.
#
#   src/bench/profile-tokens.sh                      # this build (target/quarkus-app), ES256, login then refresh
#   APP=/path/to/other/checkout/target/quarkus-app src/bench/profile-tokens.sh      # another build, same load
#   src/bench/profile-tokens.sh RS256 login
#
# Settings (environment): APP (target/quarkus-app), WARMUP (40s), SLICE (20s per profile), WALL_INTERVAL (2ms),
# CONNECTIONS (32), KEYRING_PORT (18080), OUT (target/bench-profile-tokens).
# Output in $OUT: wall-<mode>.collapsed and lock-<mode>.collapsed (collapsed stacks; wall samples per thread, lock
# waits in nanoseconds), the wrk outputs, and the summary of http/wait-profile.py on stdout.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUT=${OUT:-target/bench-profile-tokens}
ALG=${1:-ES256}
MODES=${2:-login refresh}
WARMUP=${WARMUP:-40s}
SLICE=${SLICE:-20s}
WALL_INTERVAL=${WALL_INTERVAL:-2ms}
CONNECTIONS=${CONNECTIONS:-32}
PROFILER_VERSION=4.1
HERE=src/bench/http
# shellcheck source-path=SCRIPTDIR source=http/lib.sh
source "$HERE/lib.sh"

trap stop_app EXIT
trap 'exit 130' INT TERM

ensure_wrk
if [[ -n ${APP:-} ]]; then
    KEYRING_JAR=$(realpath "$APP")/quarkus-run.jar
    [[ -f $KEYRING_JAR ]] || die "no quarkus-run.jar in $APP"
else
    ensure_built
fi
PROFILER_LIB=$ROOT/target/async-profiler/linux-x64/libasyncProfiler.so
if [[ ! -f $PROFILER_LIB ]]; then
    [[ $(uname -m) == x86_64 ]] || die "this script unpacks async-profiler for x86_64 only"
    jar=$HOME/.m2/repository/tools/profiler/async-profiler/$PROFILER_VERSION/async-profiler-$PROFILER_VERSION.jar
    [[ -f $jar ]] || ./mvnw -q dependency:get -Dartifact="tools.profiler:async-profiler:$PROFILER_VERSION" \
        || die "could not fetch tools.profiler:async-profiler:$PROFILER_VERSION"
    mkdir -p target/async-profiler
    (cd target/async-profiler && unzip -q -o "$jar" "linux-x64/*") || die "could not unpack $jar"
fi

profiler() {
    jcmd "$1" JVMTI.agent_load "$PROFILER_LIB" "\"$2\"" >/dev/null || die "async-profiler refused '$2' in pid $1"
}

# load <mode> <duration> <output file>: logins on 2 wrk threads, or one refresh chain per thread.
load() {
    local threads=2
    [[ $1 != refresh ]] || threads=$CONNECTIONS
    TOKEN_API=keyring TOKEN_MODE=$1 python3 "$HERE/cpu-run.py" "$PID" \
        wrk -t"$threads" -c"$CONNECTIONS" -d"$2" -s "$HERE/wrk-token.lua" "http://127.0.0.1:$KEYRING_PORT" >"$3"
    grep -q '^WRK_RESULT' "$3" || die "wrk printed no result; see $3"
}

rm -rf "$OUT"
mkdir -p "$OUT/store"
KEYRING_STORE_PKCS12_PASSWORD=$(openssl rand -base64 24)
export KEYRING_STORE_PKCS12_PASSWORD
mapfile -t args < <(keyring_args "$OUT/store" "$ALG" on)
start_app "keyring ($ALG)" "$KEYRING_PORT" "$OUT/keyring.log" "${args[@]}"
PID=$APP_PID
log "warming up for $WARMUP"
for mode in $MODES; do
    load "$mode" "$WARMUP" "$OUT/warmup-$mode.txt"
done
for mode in $MODES; do
    for kind in wall lock; do
        case $kind in
        wall) profiler "$PID" "start,event=wall,interval=$WALL_INTERVAL,threads" ;;
        lock) profiler "$PID" "start,event=lock,lock=0" ;;
        esac
        log "$mode: $kind profile for $SLICE"
        load "$mode" "$SLICE" "$OUT/$kind-$mode.txt"
        # lock waits are summed in nanoseconds ("total"), wall samples counted
        profiler "$PID" "stop,file=$(realpath "$OUT")/$kind-$mode.collapsed,collapsed$([[ $kind == lock ]] && echo ,total)"
        grep -h '^WRK_RESULT\|^CPU' "$OUT/$kind-$mode.txt" >&2
    done
    python3 "$HERE/wait-profile.py" "$OUT/wall-$mode.collapsed" "$OUT/lock-$mode.collapsed" \
        "$(sed -n "s/^WRK_RESULT requests=\([0-9]*\).*/\1/p" "$OUT/lock-$mode.txt")" "$mode"
done
