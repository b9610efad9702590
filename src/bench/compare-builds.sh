#!/usr/bin/env bash
# Compares builds of the keyring application with each other on HTTP load, each beside the static-key baseline
# (src/bench/baseline): GET /api/me with a token (verified-token cache off) and the no-token ceiling GET /api/public.
# For finding what made a figure of http-bench.sh move: a commit, a dependency, a build-time setting.
#
#   src/bench/compare-builds.sh main=target/quarkus-app old=/path/to/worktree/target/quarkus-app
#   ALG=ES256 PATHS=/api/public src/bench/compare-builds.sh a=... b=...
#
# Each argument is <name>=<directory of a packaged application (its quarkus-run.jar)>; build the other commits in
# worktrees of their own (git worktree add), and a build-time variant with its setting on the package command line
# (./mvnw package -DskipTests -Dquarkus.micrometer.enabled=false). The first build creates the store and signs the one
# token that every application is sent: with HMAC algorithms (derived keys, the same master secret for all) every build
# derives the same key; with the others each build gets a copy of the first build's store, which an older build must be
# able to read. The baseline is given the token's key as in http-bench.sh.
#
# Every application is started side by side, each on its own port, and warmed up on its own until steady; then wrk
# loads one at a time, in SLICES slices of SLICE, in turns, each turn in another order. Each build's slice is compared
# with the baseline's slice of the same turn: the report gives the median of these ratios and every slice's ratio.
#
# Settings (environment): ALG (HS256), PATHS ("/api/me /api/public"), SLICES (8), SLICE (10s), WARMUP (30s), WARMUP_MAX
# (60s), STEADY (0.05), THREADS (2), CONNECTIONS (32), BUILD_PORT (18090: the first build's port, the next ones
# following), BASELINE_PORT (18081), KEYRING_PORT (18080, the first start), JAVA_OPTS (none; the same for every
# application), OUT (target/bench-builds). The baseline is built when missing, as in http-bench.sh.
#
# Output: a markdown table on stdout and in $OUT/builds-results.md, the figures of every slice in
# $OUT/builds-results.csv, and wrk's output in $OUT/http-runs.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUT=${OUT:-target/bench-builds}
ALG=${ALG:-HS256}
PATHS=${PATHS:-/api/me /api/public}
SLICES=${SLICES:-8}
SLICE=${SLICE:-10s}
WARMUP=${WARMUP:-30s}
WARMUP_MAX=${WARMUP_MAX:-60s}
STEADY=${STEADY:-0.05}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
BUILD_PORT=${BUILD_PORT:-18090}
FORKS=1
HERE=src/bench/http
# shellcheck source-path=SCRIPTDIR source=http/lib.sh
source "$HERE/lib.sh"

(($# >= 1)) || die "usage: $0 <name>=<quarkus-app directory>... (at least one build)"
NAMES=()
declare -A JAR=()
for arg in "$@"; do
    name=${arg%%=*}
    dir=${arg#*=}
    [[ $arg == *=* && $name =~ ^[A-Za-z0-9_.-]+$ && $name != baseline ]] \
        || die "'$arg' is not <name>=<directory>: a name of letters, digits, '.', '_' or '-' (not 'baseline')"
    [[ -f $dir/quarkus-run.jar ]] || die "$dir/quarkus-run.jar does not exist: package that build first"
    [[ -z ${JAR[$name]:-} ]] || die "the name $name is given twice"
    NAMES+=("$name")
    JAR[$name]=$(realpath "$dir/quarkus-run.jar")
done

trap stop_app EXIT
trap 'exit 130' INT TERM

new_results builds-results.csv

declare -A TARGET=([baseline]="baseline - $BASELINE_PORT")
declare -A WARMED=()

ensure_wrk
ensure_built
log "builds: ${NAMES[*]}; $ALG; wrk: $THREADS threads, $CONNECTIONS connections; warm-up until steady ($WARMUP to $WARMUP_MAX); $SLICES slices of $SLICE per application on each of $PATHS"

# The first build makes the store and the token (prepare, from lib.sh, starts KEYRING_JAR).
KEYRING_JAR=${JAR[${NAMES[0]}]}
prepare "$ALG"
dir=$RUNS/$ALG
for i in "${!NAMES[@]}"; do
    name=${NAMES[$i]}
    port=$((BUILD_PORT + i))
    mkdir -p "$dir/$name"
    [[ $ALG == HS* ]] || cp "$dir"/keyring.p12* "$dir/$name/"
    KEYRING_JAR=${JAR[$name]}
    mapfile -t args < <(keyring_args "$dir/$name" "$ALG" off)
    start_app "$name ($ALG, cache off)" "$port" "$dir/$name.log" "${args[@]}"
    TARGET[$name]="$name off $port"
done
start_baseline "$dir" "$ALG"

apps=("${NAMES[@]}" baseline)
for path in $PATHS; do
    token=""
    [[ $path == /api/public ]] || token=$(cat "$dir/token")
    measure 1 "$([[ -n $token ]] && echo "$ALG" || echo none)" "$path" "$token" -- "${apps[@]}"
done
stop_app

python3 "$HERE/builds-report.py" "$CSV" "$OUT/builds-results.md" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(nproc)" \
    "$(java -version 2>&1 | head -1)" "$THREADS" "$CONNECTIONS" "$SLICES × $SLICE" "${NAMES[@]}"
cat "$OUT/builds-results.md"
log "results: $OUT/builds-results.md, $CSV; wrk output in $RUNS"
