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

RUNS=$OUT/http-runs
CSV=$OUT/http-results.csv
mkdir -p "$OUT"
rm -rf "$RUNS"
mkdir -p "$RUNS"
echo "slice,algorithm,app,cache,path,warmup_s,rps,p50_ms,p90_ms,p99_ms,max_ms,requests,status_errors,socket_errors" >"$CSV"

# seconds <wrk duration>: 30s, 2m or 30, in seconds.
seconds() {
    case $1 in
    *s) echo "${1%s}" ;;
    *m) echo $((${1%m} * 60)) ;;
    *) echo "$1" ;;
    esac
}

# warm_up <name> <url> [wrk header arguments...]: 5-second wrk runs until requests/s is steady: at least WARMUP in all
# and the last two runs within STEADY of each other, or WARMUP_MAX. Prints the seconds it took.
warm_up() {
    local name=$1 url=$2
    shift 2
    local min max step=5 spent=0 previous=0 rps
    min=$(seconds "$WARMUP")
    max=$(seconds "$WARMUP_MAX")
    ((step <= max)) || step=$max
    : >"$RUNS/$name.warmup.txt"
    while ((spent < max)); do
        rps=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${step}s" "$@" "$url" | tee -a "$RUNS/$name.warmup.txt" |
            awk '/Requests\/sec/ { printf "%.0f", $2 }')
        spent=$((spent + step))
        if ((spent >= min)) && python3 -c '
import sys
a, b, steady = map(float, sys.argv[1:])
sys.exit(abs(a - b) > steady * max(a, b))' "$previous" "$rps" "$STEADY"; then
            break
        fi
        previous=$rps
    done
    echo "$spent"
}

# An application under test: "<app> <cache> <port>", by the name the script uses for it.
declare -A TARGET=([off]="keyring off $KEYRING_PORT" [baseline]="baseline - $BASELINE_PORT" [on]="keyring on $KEYRING_ON_PORT")
declare -A WARMED=()

# url_of <what> <path>
url_of() {
    local target
    read -r -a target <<<"${TARGET[$1]}"
    echo "http://127.0.0.1:${target[2]}$2"
}

# warm <fork> <algorithm> <what> <path> [token]: checks the endpoint answers 200, then warms the application up until
# steady.
warm() {
    local fork=$1 alg=$2 what=$3 path=$4 token=${5:-} url header=()
    url=$(url_of "$what" "$path")
    [[ -z "$token" ]] || header=(-H "Authorization: Bearer $token")
    [[ $(status_of "$url" "$token") == 200 ]] || die "$what ($alg) does not answer 200 on $path"
    log "$alg $what $path: warming up until steady ($WARMUP to $WARMUP_MAX)"
    WARMED[$what]=$(warm_up "$alg-$what-${path//\//_}-fork$fork" "$url" "${header[@]}")
    log "$alg $what $path: steady after ${WARMED[$what]}s"
}

# slice <n> <algorithm> <what> <path> [token]: one measured slice of one application, appended to the CSV.
slice() {
    local n=$1 alg=$2 what=$3 path=$4 token=${5:-} url header=() target
    read -r -a target <<<"${TARGET[$what]}"
    url=$(url_of "$what" "$path")
    [[ -z "$token" ]] || header=(-H "Authorization: Bearer $token")
    local name="$alg-$what-${path//\//_}-slice$n"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$SLICE" --latency -s "$HERE/wrk-stats.lua" "${header[@]}" "$url" \
        >"$RUNS/$name.txt"
    python3 - "$n" "$alg" "${target[0]}" "${target[1]}" "$path" "${WARMED[$what]}" "$RUNS/$name.txt" >>"$CSV" <<'EOF'
import sys
n, alg, app, cache, path, warmed, file = sys.argv[1:]
line = next(l for l in open(file) if l.startswith("WRK_RESULT "))
v = dict(kv.split("=") for kv in line.split()[1:])
ms = lambda key: "%.3f" % (int(v[key]) / 1000)
sockets = sum(int(v[k]) for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))
print(",".join([n, alg, app, cache, path, warmed, v["rps"], ms("p50_us"), ms("p90_us"), ms("p99_us"), ms("max_us"),
                v["requests"], v["status_errors"], str(sockets)]))
EOF
    tail -1 "$CSV" | awk -F, '{ printf "    slice %s %s %s: %.0f requests/s, p50 %s ms, p99 %s ms, %s status errors, %s socket errors\n", $1, $3, $4, $7, $8, $10, $13, $14 }' >&2
}

# measure <fork> <algorithm> <path> [token] -- <what...>: warms each application up, then measures them in turns,
# SLICES times, each turn in another order so that none of them always comes first. The slices of fork f are numbered
# on from those of the forks before it.
measure() {
    local fork=$1 alg=$2 path=$3 token=$4
    shift 5
    local apps=("$@") n i what
    for what in "${apps[@]}"; do
        warm "$fork" "$alg" "$what" "$path" "$token"
    done
    log "$alg $path, fork $fork of $FORKS: $SLICES slices of $SLICE for each of ${apps[*]}, in turns"
    for n in $(seq $(((fork - 1) * SLICES + 1)) $((fork * SLICES))); do
        for i in "${!apps[@]}"; do
            what=${apps[$(((i + n - 1) % ${#apps[@]}))]}
            slice "$n" "$alg" "$what" "$path" "$token"
        done
    done
}

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
