# shellcheck shell=bash
# Shared functions of src/bench/http-bench.sh and src/bench/rotation-under-load.sh. Sourced, not run.
# Expects ROOT (the repository root) and OUT (the output directory) to be set, and runs from ROOT.

KEYRING_JAR=target/quarkus-app/quarkus-run.jar
BASELINE_POM=src/bench/baseline/pom.xml
BASELINE_JAR=src/bench/baseline/target/quarkus-app/quarkus-run.jar
KEYRING_PORT=${KEYRING_PORT:-18080}
BASELINE_PORT=${BASELINE_PORT:-18081}
# Extra JVM options, the same for both applications (e.g. JAVA_OPTS='-Xmx512m').
JAVA_OPTS=${JAVA_OPTS:-}
# How long an application may take to answer its first request.
START_TIMEOUT=${START_TIMEOUT:-90}

APP_PID=""
# Every application started and not yet stopped.
APP_PIDS=()

log() {
    printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

die() {
    log "ERROR: $*"
    exit 1
}

# Builds the keyring application when its jar is missing or older than its sources, and the baseline likewise.
ensure_built() {
    if [[ "${REBUILD:-0}" == 1 || ! -f $KEYRING_JAR || -n "$(find pom.xml src/main -newer "$KEYRING_JAR" -print -quit)" ]]; then
        log "building the keyring application: ./mvnw -q -DskipTests package"
        ./mvnw -q -DskipTests package || die "the keyring build failed"
    fi
    if [[ "${REBUILD:-0}" == 1 || ! -f $BASELINE_JAR || -n "$(find src/bench/baseline/pom.xml src/bench/baseline/src -newer "$BASELINE_JAR" -print -quit)" ]]; then
        log "building the baseline: ./mvnw -q -f $BASELINE_POM -DskipTests package"
        ./mvnw -q -f "$BASELINE_POM" -DskipTests package || die "the baseline build failed"
    fi
}

# Installs the Debian package wrk when wrk is missing.
ensure_wrk() {
    command -v wrk >/dev/null && return
    log "wrk is not installed: installing the Debian package wrk with apt-get"
    local sudo=""
    [[ $(id -u) == 0 ]] || sudo="sudo"
    $sudo apt-get install -y wrk >/dev/null 2>&1 || { $sudo apt-get update >/dev/null && $sudo apt-get install -y wrk >/dev/null; } \
        || die "could not install wrk; install it (apt-get install wrk) and run again"
    command -v wrk >/dev/null || die "wrk is still missing after apt-get install wrk"
}

port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# start_app <name> <port> <log file> <java arguments...>: starts one application in the background, waits until
# GET /api/public answers 200, and leaves its pid in APP_PID (and adds it to APP_PIDS). Secrets are passed by the
# caller in the environment.
start_app() {
    local name=$1 port=$2 logfile=$3
    shift 3
    port_free "$port" || die "port $port on 127.0.0.1 is already in use; set KEYRING_PORT/BASELINE_PORT"
    # shellcheck disable=SC2086
    java $JAVA_OPTS -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" "$@" >"$logfile" 2>&1 &
    APP_PID=$!
    APP_PIDS+=("$APP_PID")
    local deadline=$((SECONDS + START_TIMEOUT))
    until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/public") == 200 ]]; do
        if ! kill -0 "$APP_PID" 2>/dev/null; then
            APP_PID=""
            tail -20 "$logfile" >&2
            die "$name stopped during startup; its log is $logfile"
        fi
        ((SECONDS < deadline)) || die "$name did not answer within ${START_TIMEOUT}s; its log is $logfile"
        sleep 0.2
    done
    log "$name is up (pid $APP_PID, port $port)"
}

# Stops every application started and waits for each to exit.
stop_app() {
    local pid deadline
    for pid in "${APP_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${APP_PIDS[@]}"; do
        deadline=$((SECONDS + 30))
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
            sleep 0.2
        done
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    APP_PIDS=()
    APP_PID=""
}

# config_alg <JOSE algorithm>: the value for an algorithm setting. SmallRye Config converts enums by constant name and
# reads the JOSE name "EdDSA" as "ed-dsa", so keyring.algorithm and mp.jwt.verify.publickey.algorithm both need EDDSA.
config_alg() {
    if [[ $1 == EdDSA ]]; then echo EDDSA; else echo "$1"; fi
}

# keyring_args <store dir> <algorithm> <cache on|off> [store type]: the keyring's JVM arguments. Prod profile, a
# PKCS#12 store in the store dir by default (so that a restart keeps the keys, and a token stays valid; the store type
# memory forgets them), one-hour tokens, and the users bench
# (role user) and benchadmin (roles user, admin) with the password bench. HMAC algorithms use derived keys, so that
# the baseline can be given the key. The store password and HMAC master come from the environment.
keyring_args() {
    local dir=$1 alg=$2 cache=$3 store=${4:-pkcs12}
    # shellcheck disable=SC2054  # the comma belongs to the roles value user,admin
    local args=(-Dkeyring.store.type="$store" -Dkeyring.store.pkcs12.path="$dir/keyring.p12" -Dkeyring.algorithm="$(config_alg "$alg")"
        -Dkeyring.token.lifetime=PT1H -Dkeyring.verify.cache.enabled="$([[ $cache == on ]] && echo true || echo false)"
        -Dquarkus.security.users.embedded.users.bench=bench -Dquarkus.security.users.embedded.roles.bench=user
        -Dquarkus.security.users.embedded.users.benchadmin=bench
        -Dquarkus.security.users.embedded.roles.benchadmin=user,admin)
    [[ $alg == HS* ]] && args+=(-Dkeyring.hmac.mode=derived)
    printf '%s\n' "${args[@]}" -jar "$KEYRING_JAR"
}

# login <port> <user>: prints an access token of the keyring on that port.
login() {
    local body
    body=$(curl -sf -X POST -u "$2:bench" "http://127.0.0.1:$1/auth/login") || die "login of $2 failed"
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])' <<<"$body"
}

# jwt_header <token> <field>: one field of a compact JWS's protected header.
jwt_header() {
    python3 -c '
import base64, json, sys
part = sys.argv[1].split(".")[0]
print(json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))[sys.argv[2]])' "$1" "$2"
}

# status_of <url> [token]: the HTTP status of a GET.
status_of() {
    if [[ -n "${2:-}" ]]; then
        curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $2" "$1"
    else
        curl -s -o /dev/null -w '%{http_code}' "$1"
    fi
}

# The functions below expect RUNS (the run directory) and HERE (src/bench/http) to be set as well.

# baseline_key <dir> <algorithm> <token>: writes the JWK Set of the key that signed the token to <dir>/verify-key.json,
# for the baseline. Public keys come from the keyring's JWKS; a derived HMAC period key is computed with the keyring's
# own DerivedHmacKeyRingManager (the JWKS never holds a secret). The keyring must be running on KEYRING_PORT.
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

start_baseline() {
    local dir=$1 alg=$2 location=mp.jwt.verify.publickey.location
    [[ $alg != HS* ]] || location=smallrye.jwt.verify.key.location
    start_app "baseline ($alg)" "$BASELINE_PORT" "$dir/baseline.log" "-D$location=$(realpath "$dir")/verify-key.json" \
        "-Dmp.jwt.verify.publickey.algorithm=$(config_alg "$alg")" -jar "$BASELINE_JAR"
}

# start_keyring <dir> <algorithm> <off|on> <port>: the keyring on its own copy of the algorithm's store, so that two
# of them never share a file.
start_keyring() {
    local dir=$1 alg=$2 cache=$3 port=$4 args
    mkdir -p "$dir/$cache"
    cp "$dir"/keyring.p12* "$dir/$cache/" 2>/dev/null || true
    mapfile -t args < <(keyring_args "$dir/$cache" "$alg" "$cache")
    start_app "keyring ($alg, cache $cache)" "$port" "$dir/keyring-cache-$cache.log" "${args[@]}"
}

# prepare <algorithm>: a fresh store with throwaway secrets, so that its first key has this algorithm, and one login,
# whose token every run of the algorithm sends; then the baseline's key. The store (when the algorithm has one) is
# copied for each keyring started later, so its key and the token stay the same.
prepare() {
    local alg=$1 dir=$RUNS/$1 token
    mkdir -p "$dir"
    KEYRING_STORE_PKCS12_PASSWORD=$(openssl rand -base64 24)
    KEYRING_HMAC_MASTER_SECRET=$(openssl rand -base64 32)
    export KEYRING_STORE_PKCS12_PASSWORD KEYRING_HMAC_MASTER_SECRET
    local args
    mapfile -t args < <(keyring_args "$dir" "$alg" off)
    start_app "keyring ($alg, first start)" "$KEYRING_PORT" "$dir/keyring-first.log" "${args[@]}"
    token=$(login "$KEYRING_PORT" bench)
    [[ $(jwt_header "$token" alg) == "$alg" ]] || die "the keyring signed with $(jwt_header "$token" alg), not $alg"
    echo "$token" >"$dir/token"
    baseline_key "$dir" "$alg" "$token"
    stop_app
}

# Measuring applications in turns. The functions below expect as well: TARGET (an associative array: the name of an
# application under test -> "<app> <cache> <port>", the first two written to the CSV), WARMED (an associative array
# they fill), RUNS and CSV (from new_results), SLICES, SLICE, THREADS, CONNECTIONS, WARMUP, WARMUP_MAX and STEADY.

# new_results <file name>: a fresh $OUT/http-runs for wrk's output (RUNS) and the results file $OUT/<file name> (CSV)
# with the header of the lines that slice appends.
new_results() {
    RUNS=$OUT/http-runs
    CSV=$OUT/$1
    mkdir -p "$OUT"
    rm -rf "$RUNS"
    mkdir -p "$RUNS"
    echo "slice,algorithm,app,cache,path,warmup_s,rps,p50_ms,p90_ms,p99_ms,max_ms,requests,status_errors,socket_errors" >"$CSV"
}

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
