# shellcheck shell=bash
# Keycloak for src/bench/token-bench.sh (KEYCLOAK=1). Sourced after lib.sh, not run. Nothing here is part of the build
# or of the tests.
#
# The distribution comes from Maven Central (org.keycloak:keycloak-quarkus-dist, type zip) and runs on JDK 25 in dev
# mode (start-dev: HTTP, its embedded dev-file database), bound to 127.0.0.1. A realm "bench" is made for the run:
#   - the password policy hashAlgorithm(pbkdf2-sha256) and hashIterations(1), so that a login checks the password
#     about as cheaply as the keyring's demo users (Keycloak's default, Argon2, costs it about 60 logins/s here);
#   - its default signature algorithm is the algorithm under test (ES256 with a generated P-256 key);
#   - a public client "bench" with the direct access (password) grant, no other flows;
#   - a user "bench" (password "bench") with a complete profile, so that no required action stops the grant;
#   - access tokens of one hour, as the keyring's in the benchmark.

KEYCLOAK_VERSION=${KEYCLOAK_VERSION:-26.7.3}
KEYCLOAK_PORT=${KEYCLOAK_PORT:-18090}
KEYCLOAK_JAVA_HOME=${KEYCLOAK_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
# Keycloak's script defaults to -Xms64m -Xmx512m; the benchmark gives it more, so that its heap is not what limits it.
KEYCLOAK_HEAP=${KEYCLOAK_HEAP:--Xms1g -Xmx2g}
KEYCLOAK_START_TIMEOUT=${KEYCLOAK_START_TIMEOUT:-300}
KEYCLOAK_PID=""

# ensure_keycloak: unpacks the distribution into target/keycloak (fetching the zip with Maven when it is missing) and
# leaves its home in KEYCLOAK_HOME.
ensure_keycloak() {
    KEYCLOAK_HOME=$ROOT/target/keycloak/keycloak-$KEYCLOAK_VERSION
    [[ -x $KEYCLOAK_HOME/bin/kc.sh ]] && return
    [[ -x $KEYCLOAK_JAVA_HOME/bin/java ]] || die "Keycloak needs JDK 25: set KEYCLOAK_JAVA_HOME (not found: $KEYCLOAK_JAVA_HOME)"
    local zip=$HOME/.m2/repository/org/keycloak/keycloak-quarkus-dist/$KEYCLOAK_VERSION/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip
    if [[ ! -f $zip ]]; then
        log "fetching Keycloak $KEYCLOAK_VERSION from Maven Central (about 170 MB)"
        ./mvnw -q dependency:get -Dartifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" -Dtransitive=false \
            || die "could not fetch org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip"
    fi
    mkdir -p target/keycloak
    (cd target/keycloak && unzip -q -o "$zip") || die "could not unpack $zip"
}

# start_keycloak <log file>: starts Keycloak in dev mode with a throwaway admin and waits until it answers; leaves the
# pid of its JVM in KEYCLOAK_PID (and the script's in APP_PIDS, so that stop_app stops it).
start_keycloak() {
    local logfile=$1 script_pid deadline
    port_free "$KEYCLOAK_PORT" || die "port $KEYCLOAK_PORT on 127.0.0.1 is already in use; set KEYCLOAK_PORT"
    KEYCLOAK_ADMIN_PASSWORD=$(openssl rand -hex 16)
    rm -rf "$KEYCLOAK_HOME/data"
    JAVA_HOME=$KEYCLOAK_JAVA_HOME JAVA_OPTS_KC_HEAP=$KEYCLOAK_HEAP \
        KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=$KEYCLOAK_ADMIN_PASSWORD \
        "$KEYCLOAK_HOME/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$KEYCLOAK_PORT" >"$logfile" 2>&1 &
    script_pid=$!
    APP_PIDS+=("$script_pid")
    deadline=$((SECONDS + KEYCLOAK_START_TIMEOUT))
    log "Keycloak $KEYCLOAK_VERSION is starting (it takes a minute or two)"
    until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$KEYCLOAK_PORT/realms/master") == 200 ]]; do
        kill -0 "$script_pid" 2>/dev/null || { tail -20 "$logfile" >&2; die "Keycloak stopped during startup; its log is $logfile"; }
        ((SECONDS < deadline)) || die "Keycloak did not answer within ${KEYCLOAK_START_TIMEOUT}s; its log is $logfile"
        sleep 1
    done
    # kc.sh runs the JVM as its child, or, after re-augmenting its build (exit code 10), replaces itself with it
    if [[ $(cat "/proc/$script_pid/comm" 2>/dev/null) == java ]]; then
        KEYCLOAK_PID=$script_pid
    else
        KEYCLOAK_PID=$(pgrep -P "$script_pid" -x java | head -1 || true)
    fi
    [[ -n $KEYCLOAK_PID ]] || die "Keycloak's JVM was not found under its script (pid $script_pid)"
    log "Keycloak is up (JVM pid $KEYCLOAK_PID, port $KEYCLOAK_PORT)"
}

# keycloak_admin <method> <path> [json body]: one call of the admin REST API; prints the response body.
keycloak_admin() {
    local token
    token=$(curl -sf -d grant_type=password -d client_id=admin-cli -d username=admin \
        --data-urlencode "password=$KEYCLOAK_ADMIN_PASSWORD" \
        "http://127.0.0.1:$KEYCLOAK_PORT/realms/master/protocol/openid-connect/token" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])') || die "no Keycloak admin token"
    curl -sf -X "$1" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        ${3:+--data "$3"} "http://127.0.0.1:$KEYCLOAK_PORT/admin$2" || die "Keycloak refused $1 $2"
}

# keycloak_realm <algorithm>: (re)creates the realm bench for the algorithm and checks that a password grant signs
# with it.
keycloak_realm() {
    local alg=$1 realm_id body token
    if [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$KEYCLOAK_PORT/realms/bench") == 200 ]]; then
        keycloak_admin DELETE /realms/bench >/dev/null
    fi
    keycloak_admin POST /realms "{\"realm\":\"bench\",\"enabled\":true,\"defaultSignatureAlgorithm\":\"$alg\",
        \"passwordPolicy\":\"hashAlgorithm(pbkdf2-sha256) and hashIterations(1)\",\"accessTokenLifespan\":3600,
        \"ssoSessionIdleTimeout\":36000,\"ssoSessionMaxLifespan\":72000,\"bruteForceProtected\":false}" >/dev/null
    if [[ $alg == ES* ]]; then
        realm_id=$(keycloak_admin GET /realms/bench | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
        keycloak_admin POST /realms/bench/components "{\"name\":\"ecdsa-$alg\",\"providerId\":\"ecdsa-generated\",
            \"providerType\":\"org.keycloak.keys.KeyProvider\",\"parentId\":\"$realm_id\",
            \"config\":{\"priority\":[\"200\"],\"enabled\":[\"true\"],\"active\":[\"true\"],
            \"ecdsaEllipticCurveKey\":[\"P-${alg#ES}\"]}}" >/dev/null
    fi
    keycloak_admin POST /realms/bench/clients '{"clientId":"bench","publicClient":true,"directAccessGrantsEnabled":true,
        "standardFlowEnabled":false,"implicitFlowEnabled":false}' >/dev/null
    keycloak_admin POST /realms/bench/users '{"username":"bench","enabled":true,"email":"bench@example.com",
        "emailVerified":true,"firstName":"Bench","lastName":"Mark",
        "credentials":[{"type":"password","value":"bench","temporary":false}]}' >/dev/null
    body=$(curl -sf -d grant_type=password -d client_id=bench -d username=bench -d password=bench \
        "http://127.0.0.1:$KEYCLOAK_PORT/realms/bench/protocol/openid-connect/token") || die "Keycloak's password grant failed"
    token=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])' <<<"$body")
    [[ $(jwt_header "$token" alg) == "$alg" ]] || die "Keycloak signed with $(jwt_header "$token" alg), not $alg"
    log "Keycloak realm bench ready: password grant signs with $alg"
}
