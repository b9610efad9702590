package io.github.jwtkeyring.testing;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;

import io.github.jwtkeyring.keys.JdkKeyGenerator;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.rotation.Rotation;
import io.github.jwtkeyring.rotation.RotationPolicy;
import io.github.jwtkeyring.rotation.StoredKeyRingManager;
import io.github.jwtkeyring.store.memory.MemoryKeyRingStore;

/**
 * A started key ring in memory, for tests that issue and verify tokens without a container.
 */
public final class InMemoryRings {

    /** The clock skew of {@link #started}'s policy. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private InMemoryRings() {
    }

    /**
     * A ring of {@code algorithm} keys on {@code clock}: rotated daily, published an hour ahead, five-minute tokens and
     * {@link #CLOCK_SKEW}; started, so it has an ACTIVE and a PENDING key.
     */
    public static KeyRingManager started(SigningAlgorithm algorithm, InstantSource clock) {
        RotationPolicy policy = new RotationPolicy(algorithm, Duration.ofDays(1), Duration.ofHours(1),
                Duration.ofMinutes(5), CLOCK_SKEW);
        KeyRingManager manager = new StoredKeyRingManager(new MemoryKeyRingStore(),
                new Rotation(policy, new JdkKeyGenerator(new SecureRandom(), 2048)), clock);
        manager.start();
        return manager;
    }
}
