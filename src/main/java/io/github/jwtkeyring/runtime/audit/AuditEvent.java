package io.github.jwtkeyring.runtime.audit;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the audit trail, as written to the log category {@code io.github.jwtkeyring.audit} and fired as a CDI
 * event: observe it with {@code void on(@Observes AuditEvent event)}. Observers run on the thread of the change, after
 * it is stored; one that throws is logged and the change stands. It never holds a token, a secret or a password.
 *
 * @param time when it happened, by the module's clock
 * @param action what happened
 * @param actor who or what caused it
 * @param details what it concerned (a kid and its states, a revoked subject or jti, a login's user name), in a fixed
 *        order
 */
public record AuditEvent(Instant time, Action action, Actor actor, Map<String, String> details) {

    public AuditEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actor, "actor");
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** What an audit entry records; {@link #label()} is its {@code action} in the JSON line. */
    public enum Action {
        /** A key changed state (or was created): {@code kid}, {@code alg}, {@code from} (absent for a new key), {@code to}. */
        KEY_STATE("key.state"),
        /** An administrator revoked one access token: {@code jti}. */
        TOKEN_REVOKED("token.revoked"),
        /** An administrator revoked every token of a subject: {@code target}. */
        SUBJECT_REVOKED("subject.revoked"),
        /** A caller logged out one session: {@code jti}, {@code session} when it came from a refresh family. */
        LOGOUT("logout"),
        /** A caller revoked every token of their own subject. */
        LOGOUT_ALL("logout.all"),
        /**
         * A superseded refresh token was presented again: its family is revoked as stolen; {@code target} (the
         * family's subject) and {@code session}.
         */
        REFRESH_REUSE("refresh.reuse"),
        /** A login with wrong credentials: {@code user}, as given. */
        LOGIN_FAILED("login.failed"),
        /** A login refused while its account or address is throttled: {@code user}, {@code retry_after}. */
        LOGIN_THROTTLED("login.throttled"),
        /** The module refused to start: {@code reason}. */
        STARTUP_REFUSED("startup.refused");

        private final String label;

        Action(String label) {
            this.label = label;
        }

        /** The action's name in the JSON line. */
        public String label() {
            return label;
        }
    }

    /**
     * Who or what caused an entry.
     *
     * @param kind {@code schedule}, {@code startup}, {@code cluster} (another node's change, taken in here),
     *        {@code application} (the application's own code, outside any request), {@code caller} (an HTTP request)
     * @param subject the caller's subject, for an authenticated request
     * @param address the client's address, for an HTTP request (as Quarkus sees it: behind a proxy, only with
     *        {@code quarkus.http.proxy.proxy-address-forwarding})
     */
    public record Actor(String kind, Optional<String> subject, Optional<String> address) {

        public static final Actor SCHEDULE = of("schedule");
        public static final Actor STARTUP = of("startup");
        public static final Actor CLUSTER = of("cluster");
        public static final Actor APPLICATION = of("application");

        public Actor {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(address, "address");
        }

        private static Actor of(String kind) {
            return new Actor(kind, Optional.empty(), Optional.empty());
        }

        /** An HTTP caller, with their subject if they are authenticated. */
        public static Actor caller(String subject, String address) {
            return new Actor("caller", Optional.ofNullable(subject), Optional.ofNullable(address));
        }
    }
}
