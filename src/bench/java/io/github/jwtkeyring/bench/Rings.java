package io.github.jwtkeyring.bench;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;

import io.github.jwtkeyring.issue.IssuerSettings;
import io.github.jwtkeyring.issue.Jose4jTokenIssuer;
import io.github.jwtkeyring.keys.JdkKeyGenerator;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.rotation.Rotation;
import io.github.jwtkeyring.rotation.RotationPolicy;
import io.github.jwtkeyring.rotation.StoredKeyRingManager;
import io.github.jwtkeyring.store.memory.MemoryKeyRingStore;

/**
 * The fixtures the benchmarks share: a started ring in memory with the service's default policy, and the issuer and
 * audience of its tokens.
 */
final class Rings {

    static final String ISSUER = "jwt-keyring";
    static final String AUDIENCE = "jwt-keyring";
    static final Duration LIFETIME = Duration.ofMinutes(5);
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private Rings() {
    }

    /** A ring of one ACTIVE and one PENDING {@code algorithm} key, as a fresh service starts with. */
    static KeyRingManager started(SigningAlgorithm algorithm, InstantSource clock) {
        RotationPolicy policy = new RotationPolicy(algorithm, Duration.ofDays(1), Duration.ofHours(1), LIFETIME,
                CLOCK_SKEW);
        KeyRingManager manager = new StoredKeyRingManager(new MemoryKeyRingStore(),
                new Rotation(policy, new JdkKeyGenerator(new SecureRandom(), 2048)), clock);
        manager.start();
        return manager;
    }

    /** The issuer the service builds from its default configuration. */
    static Jose4jTokenIssuer issuer(KeyRingManager manager, InstantSource clock) {
        return new Jose4jTokenIssuer(manager, clock, new IssuerSettings(ISSUER, AUDIENCE, LIFETIME));
    }
}
