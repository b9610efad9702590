#!/usr/bin/env bash
# The token endpoints under load: POST /auth/login, and chained POST /auth/refresh (each refresh sending the newest
# refresh token of its chain), on the packaged service with its production default: a PKCS#12 store and the token
# ledger's journal on disk, every login and refresh durable before it answers. Optionally side by side with Keycloak's
# token endpoint (password grant and refresh grant), the two taking turns slice by slice.
#
#   src/bench/token-bench.sh                                        # ES256 and RS256 on this JDK
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 src/bench/token-bench.sh
#   KEYCLOAK=1 JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 src/bench/token-bench.sh ES256
#   SLICES=2 SLICE=5s WARMUP=10s src/bench/token-bench.sh ES256     # a smoke run
#
# Settings (environment): SLICES (5), SLICE (10s), WARMUP (40s), WARMUP_MAX (300s), STEADY (0.05): each target is
# warmed up with logins and refreshes in turns, 5 s each, for at least WARMUP and until the last two runs of each
# endpoint are within STEADY (5 %) of each other, at most WARMUP_MAX;
# CONNECTIONS (32; logins run on 2 wrk threads, refresh chains one per thread, so refreshes run on CONNECTIONS
# threads), KEYRING_PORT (18080), KEYCLOAK (0; 1 adds Keycloak, see http/keycloak.sh for its settings), OUT
# (target/bench-tokens), JAVA_HOME (the JDK of the keyring; Keycloak always runs on KEYCLOAK_JAVA_HOME, JDK 25).
#
# Each measured run goes through http/cpu-run.py, which records the machine's busy share and the CPU seconds of the
# server and of wrk. Output: $OUT/tokens-jdk<N>[-keycloak].csv (one row per slice), the wrk outputs in $OUT/runs, and
# the report of every CSV in $OUT (http/token-report.py) on stdout.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUT=${OUT:-target/bench-tokens}
SLICES=${SLICES:-5}
SLICE=${SLICE:-10s}
WARMUP=${WARMUP:-40s}
WARMUP_MAX=${WARMUP_MAX:-300s}
STEADY=${STEADY:-0.05}
CONNECTIONS=${CONNECTIONS:-32}
KEYCLOAK=${KEYCLOAK:-0}
ALGORITHMS=${*:-${ALGORITHMS:-ES256 RS256}}
HERE=src/bench/http
# shellcheck source-path=SCRIPTDIR source=http/lib.sh
source "$HERE/lib.sh"
# shellcheck source-path=SCRIPTDIR source=http/keycloak.sh
source "$HERE/keycloak.sh"

trap stop_app EXIT
trap 'exit 130' INT TERM

[[ -z ${JAVA_HOME:-} ]] || export PATH="$JAVA_HOME/bin:$PATH"
JDK=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[[ $WARMUP =~ ^([0-9]+)s$ ]] || die "WARMUP must be given in seconds, such as 40s"
WARMUP_S=${BASH_REMATCH[1]}
[[ $WARMUP_MAX =~ ^([0-9]+)s$ ]] || die "WARMUP_MAX must be given in seconds, such as 300s"
WARMUP_MAX_S=${BASH_REMATCH[1]}

ensure_wrk
ensure_built
[[ $KEYCLOAK != 1 ]] || ensure_keycloak
RUNS=$OUT/runs
mkdir -p "$RUNS"
CSV=$OUT/tokens-jdk$JDK.csv
[[ $KEYCLOAK != 1 ]] || CSV=$OUT/tokens-jdk$JDK-keycloak.csv
echo "jdk,algorithm,target,mode,slice,requests,rps,p50_ms,p99_ms,status_errors,socket_errors,chain_restarts,busy_pct,steal_pct,server_cpu_ms,generator_cpu_ms" >"$CSV"

declare -A PORT=([keyring]=$KEYRING_PORT [keycloak]=$KEYCLOAK_PORT)
declare -A PID=()

field() {
    sed -n "s/.*[ ]$1=\([0-9.]*\).*/\1/p" <<<"$2"
}

# load <target> <mode> <duration> <output file>: one wrk run through cpu-run.py; the output keeps wrk's lines and the
# CPU line.
load() {
    local threads=2
    [[ $2 != refresh ]] || threads=$CONNECTIONS
    TOKEN_API=$1 TOKEN_MODE=$2 python3 "$HERE/cpu-run.py" "${PID[$1]}" \
        wrk -t"$threads" -c"$CONNECTIONS" -d"$3" -s "$HERE/wrk-token.lua" "http://127.0.0.1:${PORT[$1]}" >"$4"
}

# measure <alg> <target> <mode> <slice>: one measured slice, as a CSV row.
measure() {
    local file=$RUNS/$1-$2-$3-jdk$JDK-slice$4.txt result cpu logins threads requests restarts
    load "$2" "$3" "$SLICE" "$file"
    result=$(grep '^WRK_RESULT' "$file") || die "wrk printed no result; see $file"
    cpu=$(grep '^CPU' "$file")
    logins=$(field logins "$(grep '^LOGINS' "$file")")
    threads=$(field threads "$(grep '^LOGINS' "$file")")
    requests=$(field requests "$result")
    restarts=0
    # wrk calls request() once more on its first thread's script before the run, to check it: one login not sent
    [[ $3 != refresh ]] || restarts=$((logins - threads - 1))
    python3 - "$JDK" "$1" "$2" "$3" "$4" "$result" "$cpu" "$restarts" >>"$CSV" <<'PY'
import sys
jdk, alg, target, mode, n, result, cpu, restarts = sys.argv[1:]
f = dict(kv.split("=") for kv in (result + " " + cpu).split() if "=" in kv)
requests = int(f["requests"])
socket = sum(int(f[k]) for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))
print(f"{jdk},{alg},{target},{mode},{n},{requests},{f['rps']},{int(f['p50_us']) / 1000:.2f},"
      f"{int(f['p99_us']) / 1000:.2f},{f['status_errors']},{socket},{restarts},{f['busy_pct']},{f['steal_pct']},"
      f"{1000 * float(f['server_cpu_s']) / requests:.4f},{1000 * float(f['generator_cpu_s']) / requests:.4f}")
PY
    log "$1 $2 $3 slice $4: $(field rps "$result") requests/s, machine $(field busy_pct "$cpu") % busy," \
        "status errors $(field status_errors "$result")"
}

# warm_up <target>: logins and refresh chains in turns, 5 s each, until the JVM is steady: at least WARMUP, and the
# last two runs of each endpoint within STEADY of each other, but no longer than WARMUP_MAX. Keycloak, a far larger
# application, takes minutes on two cores to compile its hot paths: 40 s left it at half its speed.
warm_up() {
    local start=$SECONDS file=$RUNS/$1.warmup.txt rps mode previous_login=0 previous_refresh=0 steady
    : >"$file"
    log "$1: warming up (at least ${WARMUP_S}s, until steady, at most ${WARMUP_MAX_S}s)"
    while true; do
        steady=1
        for mode in login refresh; do
            load "$1" "$mode" 5s "$RUNS/$1.warmup-step.txt"
            cat "$RUNS/$1.warmup-step.txt" >>"$file"
            rps=$(field rps "$(grep '^WRK_RESULT' "$RUNS/$1.warmup-step.txt")")
            if [[ $mode == login ]]; then
                python3 -c "import sys; sys.exit(0 if abs($rps - $previous_login) <= $STEADY * $rps else 1)" || steady=0
                previous_login=$rps
            else
                python3 -c "import sys; sys.exit(0 if abs($rps - $previous_refresh) <= $STEADY * $rps else 1)" || steady=0
                previous_refresh=$rps
            fi
        done
        if ((SECONDS - start >= WARMUP_MAX_S)) || { ((SECONDS - start >= WARMUP_S)) && ((steady)); }; then
            break
        fi
    done
    log "$1: warmed up in $((SECONDS - start))s (last 5 s: $previous_login logins/s, $previous_refresh refreshes/s)"
    echo "$1,$((SECONDS - start))" >>"$OUT/warmup-jdk$JDK.csv"
}

if [[ $KEYCLOAK == 1 ]]; then
    start_keycloak "$RUNS/keycloak.log"
    PID[keycloak]=$KEYCLOAK_PID
fi
for alg in $ALGORITHMS; do
    dir=$RUNS/$alg-jdk$JDK
    rm -rf "$dir"
    mkdir -p "$dir"
    KEYRING_STORE_PKCS12_PASSWORD=$(openssl rand -base64 24)
    KEYRING_HMAC_MASTER_SECRET=$(openssl rand -base64 32)
    export KEYRING_STORE_PKCS12_PASSWORD KEYRING_HMAC_MASTER_SECRET
    mapfile -t args < <(keyring_args "$dir" "$alg" on)
    # the APP_PIDS entry of an earlier algorithm's keyring is stopped below; Keycloak's stays
    start_app "keyring ($alg, JDK $JDK)" "$KEYRING_PORT" "$dir/keyring.log" "${args[@]}"
    PID[keyring]=$APP_PID
    token=$(login "$KEYRING_PORT" bench)
    [[ $(jwt_header "$token" alg) == "$alg" ]] || die "the keyring signed with $(jwt_header "$token" alg), not $alg"
    targets=(keyring)
    if [[ $KEYCLOAK == 1 ]]; then
        keycloak_realm "$alg"
        targets+=(keycloak)
    fi
    for target in "${targets[@]}"; do
        warm_up "$target"
    done
    for n in $(seq "$SLICES"); do
        # the targets take turns, each slice starting with another one
        for i in "${!targets[@]}"; do
            target=${targets[$(((i + n) % ${#targets[@]}))]}
            for mode in login refresh; do
                measure "$alg" "$target" "$mode" "$n"
            done
        done
    done
    kill "${PID[keyring]}"
    while kill -0 "${PID[keyring]}" 2>/dev/null; do sleep 0.2; done
done
python3 "$HERE/token-report.py" "$OUT"/tokens-*.csv --svg "$OUT/tokens.svg"
