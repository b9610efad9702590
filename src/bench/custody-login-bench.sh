#!/usr/bin/env bash
# Logins per second with the keys in software against the keys on a SoftHSM2 token (keyring.custody.type=pkcs11):
# POST /auth/login with HTTP Basic, which signs one access token per request (and records the refresh family in the
# PKCS#12 store's journal, the same for both). Two packaged keyring applications run side by side, each on its own
# store, and wrk loads one at a time in SLICES slices of SLICE, taking turns; the report gives the median requests/s of
# each and their ratio per algorithm.
#
#   src/bench/custody-login-bench.sh                    # ES256 RS256 PS256 HS256 (about 12 minutes)
#   SLICES=2 SLICE=3s WARMUP=5s src/bench/custody-login-bench.sh ES256              # a smoke run
#
# Needs SoftHSM2 (apt-get install softhsm2) and wrk (installed with apt-get when missing). Settings (environment):
# SLICES (6), SLICE (10s), WARMUP (20s), THREADS (2), CONNECTIONS (16), OUT (target/bench), JAVA_OPTS (none).
# Output: a markdown table on stdout and in $OUT/custody-login.md, every slice in $OUT/custody-login.csv.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUT=${OUT:-target/bench}
SLICES=${SLICES:-6}
SLICE=${SLICE:-10s}
WARMUP=${WARMUP:-20s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
SOFTWARE_PORT=18080
TOKEN_PORT=18082
if (($# > 0)); then ALGORITHMS="$*"; else ALGORITHMS="ES256 RS256 PS256 HS256"; fi
HERE=src/bench/http
# shellcheck source-path=SCRIPTDIR source=http/lib.sh
source "$HERE/lib.sh"
trap stop_app EXIT
trap 'exit 130' INT TERM

[[ -f /usr/lib/softhsm/libsofthsm2.so ]] && command -v softhsm2-util >/dev/null \
    || die "SoftHSM2 is not installed: apt-get install softhsm2"
ensure_wrk
if [[ ! -f $KEYRING_JAR || -n "$(find pom.xml src/main -newer "$KEYRING_JAR" -print -quit)" ]]; then
    log "building the keyring application: ./mvnw -q -DskipTests package"
    ./mvnw -q -DskipTests package || die "the keyring build failed"
fi

RUNS=$OUT/custody-login-runs
CSV=$OUT/custody-login.csv
rm -rf "$RUNS"
mkdir -p "$RUNS/softhsm/tokens"
export SOFTHSM2_CONF=$ROOT/$RUNS/softhsm/softhsm2.conf
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$ROOT/$RUNS/softhsm/tokens" \
    >"$SOFTHSM2_CONF"
export KEYRING_STORE_PKCS12_PASSWORD KEYRING_CUSTODY_PKCS11_PIN=1234
KEYRING_STORE_PKCS12_PASSWORD=$(openssl rand -base64 24)
echo "slice,algorithm,custody,rps,p50_ms,p99_ms,requests,status_errors" >"$CSV"

# app_args <dir> <algorithm>: the keyring's JVM arguments on its own store: prod profile, the user bench.
app_args() {
    printf '%s\n' -Dkeyring.store.pkcs12.path="$1/keyring.p12" -Dkeyring.algorithm="$2" \
        -Dquarkus.smallrye-jwt.blocking-authentication=true \
        -Dquarkus.security.users.embedded.users.bench=bench -Dquarkus.security.users.embedded.roles.bench=user \
        -Dkeyring.login.throttle.enabled=false
}

# run_wrk <port> <duration>: one wrk run of logins; prints its WRK_RESULT line.
run_wrk() {
    TOKEN_API=keyring TOKEN_MODE=login wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" -s "$HERE/wrk-token.lua" "http://127.0.0.1:$1/auth/login" |
        grep '^WRK_RESULT'
}

field() {
    sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$2"
}

for alg in $ALGORITHMS; do
    dir=$RUNS/$alg
    mkdir -p "$dir/software" "$dir/pkcs11"
    slot=$(softhsm2-util --init-token --free --label "bench-$alg" --pin 1234 --so-pin 5678 |
        sed -n 's/.*reassigned to slot \([0-9]*\).*/\1/p')
    mapfile -t args < <(app_args "$dir/software" "$alg")
    start_app "keyring ($alg, software)" "$SOFTWARE_PORT" "$dir/software.log" "${args[@]}" -jar "$KEYRING_JAR"
    mapfile -t args < <(app_args "$dir/pkcs11" "$alg")
    start_app "keyring ($alg, pkcs11 slot $slot)" "$TOKEN_PORT" "$dir/pkcs11.log" "${args[@]}" \
        -Dkeyring.custody.type=pkcs11 -Dkeyring.custody.pkcs11.library=/usr/lib/softhsm/libsofthsm2.so \
        -Dkeyring.custody.pkcs11.slot="$slot" -jar "$KEYRING_JAR"
    for port in "$SOFTWARE_PORT" "$TOKEN_PORT"; do
        [[ $(curl -s -o /dev/null -w '%{http_code}' -X POST -u bench:bench "http://127.0.0.1:$port/auth/login") == 200 ]] \
            || die "login on port $port does not answer 200"
        log "warming up port $port for $WARMUP"
        run_wrk "$port" "$WARMUP" >/dev/null
    done
    for ((i = 1; i <= SLICES; i++)); do
        for custody in software pkcs11; do
            port=$SOFTWARE_PORT
            [[ $custody == pkcs11 ]] && port=$TOKEN_PORT
            result=$(run_wrk "$port" "$SLICE")
            echo "$i,$alg,$custody,$(field rps "$result"),$(awk "BEGIN{print $(field p50_us "$result")/1000}"),$(awk "BEGIN{print $(field p99_us "$result")/1000}"),$(field requests "$result"),$(field status_errors "$result")" >>"$CSV"
            log "$alg $custody slice $i: $(field rps "$result") logins/s"
        done
    done
    grep -q "custody: unreachable\|ERROR" "$dir/pkcs11.log" && log "WARNING: the pkcs11 log of $alg has errors"
    stop_app
done

python3 - "$CSV" <<'PY' | tee "$OUT/custody-login.md"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print("| algorithm | software logins/s (median) | pkcs11 logins/s (median) | pkcs11 ÷ software | p50 ms software / pkcs11 | errors |")
print("|---|---|---|---|---|---|")
for alg in dict.fromkeys(r["algorithm"] for r in rows):
    def med(custody, key):
        return statistics.median(float(r[key]) for r in rows if r["algorithm"] == alg and r["custody"] == custody)
    errors = sum(int(r["status_errors"]) for r in rows if r["algorithm"] == alg)
    sw, hsm = med("software", "rps"), med("pkcs11", "rps")
    print(f"| {alg} | {sw:,.0f} | {hsm:,.0f} | {hsm / sw:.2f} | {med('software', 'p50_ms'):.1f} / {med('pkcs11', 'p50_ms'):.1f} | {errors} |")
PY
