#!/usr/bin/env bash
# HTTP load benchmark: GET /api/me on the keyring application (verified-token cache off and on) against a static-key
# baseline (plain SmallRye JWT with one configured key, src/bench/baseline), with the same token strings, for each
# algorithm; and the no-token ceiling GET /api/public on both. Everything runs on 127.0.0.1.
#
#   src/bench/http-bench.sh                       # HS256 RS256 PS256 ES256 EdDSA (about 30 minutes)
#   SLICES=2 SLICE=3s WARMUP=5s WARMUP_MAX=5s src/bench/http-bench.sh ES256      # a smoke run of one algorithm
#
# For each algorithm the three applications (keyring cache off, baseline, keyring cache on) are started side by side,
# each on its own port, and each is warmed up on its own: 5-second wrk runs until requests/s is steady (at least
# WARMUP in all, and the last two runs within STEADY of each other; WARMUP_MAX at most). Then wrk loads one
# application at a time, in SLICES slices of SLICE each, taking turns, so that a drift in the machine's speed (a shared
# virtual machine drifts by tens of percent within minutes) falls on all three alike. Each slice of the keyring is
# compared with the baseline's slice of the same turn; the report gives the median of these ratios and their spread.
#
# FORKS (1) repeats all of this FORKS times per algorithm, each time in new JVMs, and pools the slices: a JVM compiles
# the same hot code a few percent better or worse than the next (ES256's pure-Java P-256 arithmetic shows it), and
# slices within one set of JVMs cannot average that out.
#
# Settings (environment): SLICES (6), SLICE (10s), FORKS (1), WARMUP (30s), WARMUP_MAX (120s), STEADY (0.05), THREADS (2),
# CONNECTIONS (32), ALGORITHMS (or arguments), KEYRING_PORT (18080), BASELINE_PORT (18081), KEYRING_ON_PORT (18082),
# JAVA_OPTS (none; the same for every application), OUT (target/bench), REBUILD=1 to rebuild both applications. wrk
# and the applications share the machine: use a quiet one.
#
# Output: a markdown table on stdout and in $OUT/http-results.md, the figures of every slice in $OUT/http-results.csv,
# and the chart $OUT/http-rps.svg (requests/s per algorithm: baseline, keyring cache off, keyring cache on).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUT=${OUT:-target/bench}
SLICES=${SLICES:-6}
FORKS=${FORKS:-1}
SLICE=${SLICE:-10s}
WARMUP=${WARMUP:-30s}
WARMUP_MAX=${WARMUP_MAX:-120s}
STEADY=${STEADY:-0.05}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
KEYRING_ON_PORT=${KEYRING_ON_PORT:-18082}
if (($# > 0)); then ALGORITHMS="$*"; else ALGORITHMS=${ALGORITHMS:-HS256 RS256 PS256 ES256 EdDSA}; fi
HERE=src/bench/http
# shellcheck source-path=SCRIPTDIR source=http/lib.sh
source "$HERE/lib.sh"

trap stop_app EXIT
trap 'exit 130' INT TERM

new_results http-results.csv

# An application under test: "<app> <cache> <port>", by the name the script uses for it.
declare -A TARGET=([off]="keyring off $KEYRING_PORT" [baseline]="baseline - $BASELINE_PORT" [on]="keyring on $KEYRING_ON_PORT")
declare -A WARMED=()

ensure_wrk
ensure_built
log "wrk: $THREADS threads, $CONNECTIONS connections; warm-up until steady ($WARMUP to $WARMUP_MAX, within $STEADY); $SLICES slices of $SLICE per application in each of $FORKS fork(s); algorithms: $ALGORITHMS"

FIRST_ALG=${ALGORITHMS%% *}
for alg in $ALGORITHMS; do
    dir=$RUNS/$alg
    prepare "$alg"
    [[ $alg != "$FIRST_ALG" ]] || { FIRST_PASSWORD=$KEYRING_STORE_PKCS12_PASSWORD FIRST_MASTER=$KEYRING_HMAC_MASTER_SECRET; }
    for fork in $(seq "$FORKS"); do
        start_keyring "$dir" "$alg" off "$KEYRING_PORT"
        start_baseline "$dir" "$alg"
        start_keyring "$dir" "$alg" on "$KEYRING_ON_PORT"
        [[ $(status_of "$(url_of baseline /api/me)" "$(cat "$dir/token")") == 200 ]] \
            || die "the baseline rejects the keyring's $alg token; see $dir/baseline.log"
        measure "$fork" "$alg" /api/me "$(cat "$dir/token")" -- off baseline on
        stop_app
    done
done

# The ceiling: GET /api/public, no token, on the baseline and the keyring of the first algorithm.
dir=$RUNS/$FIRST_ALG
KEYRING_STORE_PKCS12_PASSWORD=$FIRST_PASSWORD KEYRING_HMAC_MASTER_SECRET=$FIRST_MASTER
for fork in $(seq "$FORKS"); do
    start_baseline "$dir" "$FIRST_ALG"
    start_keyring "$dir" "$FIRST_ALG" on "$KEYRING_ON_PORT"
    measure "$fork" none /api/public "" -- baseline on
    stop_app
done

java_version=$(java -version 2>&1 | head -1)
python3 "$HERE/report.py" "$CSV" "$OUT/http-results.md" "$OUT/http-rps.svg" \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(nproc)" "$java_version" "$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)" \
    "$THREADS" "$CONNECTIONS" "until steady, $WARMUP to $WARMUP_MAX$([[ $FORKS == 1 ]] || echo ", in each of $FORKS forks (new JVMs)")" \
    "$((FORKS * SLICES)) × $SLICE" "${JAVA_OPTS:-none}"
cat "$OUT/http-results.md"
log "results: $OUT/http-results.md, $CSV, chart $OUT/http-rps.svg; wrk output in $RUNS"
