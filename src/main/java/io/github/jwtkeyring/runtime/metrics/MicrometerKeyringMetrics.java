package io.github.jwtkeyring.runtime.metrics;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.revocation.InvalidGrantException;
import io.github.jwtkeyring.revocation.TokenLedger;
import io.github.jwtkeyring.rotation.RingOutlook;
import io.github.jwtkeyring.runtime.health.KeyringStatus;
import io.github.jwtkeyring.runtime.health.Warning;
import io.github.jwtkeyring.verify.RejectedTokenException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.Startup;

/**
 * The module's metrics in the application's Micrometer registry (with Quarkus's Prometheus registry they appear at
 * {@code /q/metrics} as {@code keyring_*}). The only class of the module that imports Micrometer: it exists only in
 * applications built with Quarkus Micrometer. It is created at startup, so that the ring's gauges are there before
 * any token is issued or verified, and every counter is registered then with each of its tag values, so that alerts
 * see zeros rather than missing series.
 */
@Startup
@Singleton
@IfBuildProperty(name = "quarkus.micrometer.enabled", stringValue = "true")
public class MicrometerKeyringMetrics implements KeyringMetrics {

    @Inject
    MeterRegistry registry;

    @Inject
    KeyringStatus status;

    @Inject
    Instance<TokenLedger> ledger;

    @Inject
    InstantSource clock;

    private final Map<SigningAlgorithm, Counter> issued = new EnumMap<>(SigningAlgorithm.class);
    private final Map<SigningAlgorithm, Timer> signing = new EnumMap<>(SigningAlgorithm.class);
    private final Map<RejectedTokenException.Reason, Counter> rejected = new EnumMap<>(
            RejectedTokenException.Reason.class);
    private final Map<InvalidGrantException.Reason, Counter> refreshRefused = new EnumMap<>(
            InvalidGrantException.Reason.class);
    private final Map<Revocation, Counter> revocations = new EnumMap<>(Revocation.class);
    private Counter accepted;
    private Counter cacheHits;
    private Counter refreshed;
    private Counter loginFailures;
    private Counter loginThrottled;
    private Timer verificationMiss;

    @PostConstruct
    void register() {
        for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
            issued.put(algorithm, Counter.builder("keyring.tokens.issued").tag("alg", algorithm.joseName())
                    .description("Access tokens signed").register(registry));
            signing.put(algorithm, Timer.builder("keyring.signing").tag("alg", algorithm.joseName())
                    .description("Time to build and sign an access token").register(registry));
        }
        accepted = verification("accepted", "none");
        cacheHits = verification("cache_hit", "none");
        for (RejectedTokenException.Reason reason : RejectedTokenException.Reason.values()) {
            rejected.put(reason, verification("rejected", tag(reason)));
        }
        verificationMiss = Timer.builder("keyring.verification.miss")
                .description("Time to verify a token not found in the verified-token cache").register(registry);
        refreshed = refresh("rotated");
        for (InvalidGrantException.Reason reason : InvalidGrantException.Reason.values()) {
            refreshRefused.put(reason,
                    refresh(reason == InvalidGrantException.Reason.REUSED ? "reuse_detected" : tag(reason)));
        }
        for (Revocation kind : Revocation.values()) {
            revocations.put(kind, Counter.builder("keyring.revocations").tag("kind", tag(kind))
                    .description("Revocations made").register(registry));
        }
        loginFailures = login("credentials");
        loginThrottled = login("throttled");
        registerGauges();
    }

    private void registerGauges() {
        for (KeyState state : KeyState.values()) {
            gauge("keyring.keys", "Keys in the ring by state", o -> o.keysByState().get(state), "state",
                    state.name());
        }
        gauge("keyring.next.activation.seconds", "Seconds until the PENDING key signs",
                o -> until(o.nextActivation()), null, null);
        gauge("keyring.active.key.age.seconds", "Seconds since the ACTIVE key began signing",
                o -> Duration.between(o.activeSince(), clock.instant()).toMillis() / 1000.0, null, null);
        gauge("keyring.next.destruction.seconds", "Seconds until the next RETIRED key is destroyed",
                o -> until(o.nextDestruction()), null, null);
        for (Warning warning : Warning.values()) {
            Gauge.builder("keyring.warning", status,
                    s -> s.warnings().stream().anyMatch(f -> f.warning() == warning) ? 1 : 0)
                    .tag("warning", warning.label()).strongReference(true)
                    .description("1 while the warning state holds (readiness data: warnings)").register(registry);
        }
        ledgerGauge("keyring.revocation.entries", "Revocations held (tokens, sessions, subjects)",
                TokenLedger::revocationCount);
        ledgerGauge("keyring.refresh.families", "Refresh-token families held", TokenLedger::familyCount);
    }

    private void gauge(String name, String description, Function<RingOutlook, Number> value, String tag,
            String tagValue) {
        ToDoubleFunction<KeyringStatus> read = s -> s.outlook().map(value).map(Number::doubleValue)
                .orElse(Double.NaN);
        Gauge.Builder<KeyringStatus> builder = Gauge.builder(name, status, read).strongReference(true)
                .description(description);
        if (tag != null) {
            builder.tag(tag, tagValue);
        }
        builder.register(registry);
    }

    private void ledgerGauge(String name, String description, ToDoubleFunction<TokenLedger> value) {
        Gauge.builder(name, ledger, l -> l.isResolvable() ? value.applyAsDouble(l.get()) : Double.NaN)
                .strongReference(true).description(description).register(registry);
    }

    private double until(Optional<Instant> when) {
        return when.map(at -> Duration.between(clock.instant(), at).toMillis() / 1000.0).orElse(Double.NaN);
    }

    private Counter verification(String outcome, String reason) {
        return Counter.builder("keyring.verifications").tag("outcome", outcome).tag("reason", reason)
                .description("Bearer tokens verified, by outcome").register(registry);
    }

    private Counter refresh(String outcome) {
        return Counter.builder("keyring.refreshes").tag("outcome", outcome)
                .description("Refresh-token exchanges, by outcome").register(registry);
    }

    private Counter login(String reason) {
        return Counter.builder("keyring.login.failures").tag("reason", reason)
                .description("Logins refused: wrong credentials, or throttled").register(registry);
    }

    private static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void issued(SigningAlgorithm algorithm, long nanos) {
        issued.get(algorithm).increment();
        signing.get(algorithm).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void verified(long nanos) {
        accepted.increment();
        verificationMiss.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void cacheHit() {
        cacheHits.increment();
    }

    @Override
    public void rejected(RejectedTokenException.Reason reason) {
        rejected.get(reason).increment();
    }

    @Override
    public void refreshed() {
        refreshed.increment();
    }

    @Override
    public void refreshRefused(InvalidGrantException.Reason reason) {
        refreshRefused.get(reason).increment();
    }

    @Override
    public void revoked(Revocation kind) {
        revocations.get(kind).increment();
    }

    @Override
    public void loginFailed() {
        loginFailures.increment();
    }

    @Override
    public void loginThrottled() {
        loginThrottled.increment();
    }
}
