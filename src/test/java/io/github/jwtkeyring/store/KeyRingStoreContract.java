package io.github.jwtkeyring.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.jwtkeyring.keys.JdkKeyGenerator;
import io.github.jwtkeyring.keys.KeyGenerator;
import io.github.jwtkeyring.keys.KeyMaterial;
import io.github.jwtkeyring.keys.KeyMetadata;
import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.rotation.Rotation;
import io.github.jwtkeyring.rotation.RotationPolicy;
import io.github.jwtkeyring.testing.JcaSignatures;

/**
 * What every {@link KeyRingStore} must do, whatever it stores the ring in. A store's test extends this class and
 * supplies {@link #newStore()} and {@link #reopen()}; it adds its own tests for what only it does.
 * <p>
 * Rings are built with {@link Rotation} at fixed instants, so they look like rings a running service produces: keys in
 * every state, with retire windows, revocation instants and recorded token lifetimes.
 */
public abstract class KeyRingStoreContract {

    /** The instant every fixture ring starts at. */
    protected static final Instant T0 = Instant.parse("2025-01-06T08:00:00Z");

    private static final KeyGenerator GENERATOR = new JdkKeyGenerator(new SecureRandom(), 2048);
    private static final Map<SigningAlgorithm, KeyRing> EVERY_STATE_RINGS = new EnumMap<>(SigningAlgorithm.class);
    private static KeyRing mixedRing;

    private static final byte[] PAYLOAD = "header.payload".getBytes(StandardCharsets.US_ASCII);

    /** The store under test, made by {@link #newStore()} before each test. */
    protected KeyRingStore store;

    /** A store over fresh, empty storage. Called once per test, before any call of {@link #reopen()}. */
    protected abstract KeyRingStore newStore();

    /**
     * A store over the same storage as the last {@link #newStore()}, as after a restart: a new instance for a
     * persistent store, the same instance for a store that keeps nothing beyond its own lifetime.
     */
    protected abstract KeyRingStore reopen();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    @Test
    void load_fromEmptyStore_isEmpty() {
        assertThat(store.load()).isEmpty();
        assertThat(reopen().load()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void save_thenLoad_roundTripsVersionMetadataAndMaterial(SigningAlgorithm algorithm) {
        KeyRing ring = ringWithEveryState(algorithm);

        store.save(ring);

        assertSameRing(reopen().load().orElseThrow(), ring);
    }

    @Test
    void save_thenLoad_roundTripsRingMixingEveryAlgorithm() {
        KeyRing ring = ringMixingEveryAlgorithm();

        store.save(ring);

        assertSameRing(reopen().load().orElseThrow(), ring);
    }

    @Test
    void save_thenLoad_roundTripsFreshlyBootstrappedRing() {
        KeyRing ring = rotation(SigningAlgorithm.ES256).bootstrap(T0);

        store.save(ring);

        assertSameRing(reopen().load().orElseThrow(), ring);
    }

    @Test
    void load_canBeRepeatedAndReturnsTheSameRingEachTime() {
        KeyRing ring = ringWithEveryState(SigningAlgorithm.ES256);
        store.save(ring);

        KeyRingStore reopened = reopen();
        assertSameRing(reopened.load().orElseThrow(), ring);
        assertSameRing(reopened.load().orElseThrow(), ring);
    }

    @Test
    void save_twice_latestRingWins() {
        Rotation rotation = rotation(SigningAlgorithm.ES256);
        KeyRing first = rotation.bootstrap(T0);
        KeyRing second = rotation.rotateNow(first, T0.plus(Duration.ofHours(1)), true);

        store.save(first);
        store.save(second);

        assertSameRing(reopen().load().orElseThrow(), second);
    }

    @Test
    void save_ofSmallerRing_leavesNoKeyOfTheLargerRingBehind() {
        KeyRing large = ringWithEveryState(SigningAlgorithm.EDDSA);
        KeyRing small = new KeyRing(large.version() + 1,
                rotation(SigningAlgorithm.HS256).bootstrap(T0.plus(Duration.ofDays(1))).keys());

        store.save(large);
        store.save(small);

        KeyRing loaded = reopen().load().orElseThrow();
        assertSameRing(loaded, small);
        assertThat(loaded.keys()).hasSize(1);
    }

    @Test
    void save_thenLoad_keysThatNoLongerHoldMaterialComeBackWithout() {
        KeyRing ring = ringWithEveryState(SigningAlgorithm.ES256);

        store.save(ring);

        KeyRing loaded = reopen().load().orElseThrow();
        assertThat(loaded.keys()).filteredOn(k -> !k.state().holdsMaterial())
                .extracting(ManagedKey::state)
                .containsExactlyInAnyOrder(KeyState.DESTROYED, KeyState.REVOKED);
        assertThat(loaded.keys()).filteredOn(k -> !k.state().holdsMaterial())
                .allSatisfy(k -> assertThat(k.material()).isEmpty());
        assertThat(loaded.keys()).filteredOn(k -> k.state().holdsMaterial())
                .allSatisfy(k -> assertThat(k.material()).isPresent());
    }

    @Test
    void save_thenLoad_keepsActiveAndPendingKeys() {
        KeyRing ring = ringWithEveryState(SigningAlgorithm.ES256);

        store.save(ring);

        KeyRing loaded = reopen().load().orElseThrow();
        assertThat(loaded.active().kid()).isEqualTo(ring.active().kid());
        assertThat(loaded.pending()).map(ManagedKey::kid).isEqualTo(ring.pending().map(ManagedKey::kid));
    }

    @Test
    void describe_isNotBlank() {
        assertThat(store.describe()).isNotBlank();
    }

    // ---------------------------------------------------------------- assertions

    /**
     * Asserts that {@code loaded} is {@code expected}: same version, same keys in the same order with equal metadata,
     * and material that signs what the original material verifies.
     */
    protected static void assertSameRing(KeyRing loaded, KeyRing expected) {
        assertThat(loaded.version()).as("version").isEqualTo(expected.version());
        assertThat(loaded.keys()).extracting(ManagedKey::metadata).as("metadata of every key, in order")
                .containsExactlyElementsOf(expected.keys().stream().map(ManagedKey::metadata).toList());
        for (int i = 0; i < expected.keys().size(); i++) {
            ManagedKey original = expected.keys().get(i);
            ManagedKey copy = loaded.keys().get(i);
            if (original.material().isEmpty()) {
                assertThat(copy.material()).as("material of %s key %s", original.state(), original.kid()).isEmpty();
            } else {
                assertThat(copy.material()).as("material of %s key %s", original.state(), original.kid())
                        .isPresent();
                assertSameMaterial(copy.requireMaterial(), original.requireMaterial(), original.kid());
            }
        }
    }

    /**
     * Asserts that {@code loaded} signs so that {@code original} verifies, and that its verification key is the
     * original one.
     */
    protected static void assertSameMaterial(KeyMaterial loaded, KeyMaterial original, String kid) {
        SigningAlgorithm algorithm = original.algorithm();
        assertThat(loaded.algorithm()).as("algorithm of %s", kid).isEqualTo(algorithm);
        assertThat(loaded.verificationKey().getEncoded()).as("verification key of %s", kid)
                .isEqualTo(original.verificationKey().getEncoded());
        if (algorithm.symmetric()) {
            assertThat(mac(algorithm, loaded.signingKey())).as("HMAC of %s with the loaded secret", kid)
                    .isEqualTo(mac(algorithm, original.signingKey()));
        } else {
            byte[] signature = sign(algorithm, (PrivateKey) loaded.signingKey());
            assertThat(verify(algorithm, original.publicKey(), signature))
                    .as("%s signature of %s made with the loaded key verifies with the original key", algorithm, kid)
                    .isTrue();
            assertThat(verify(algorithm, loaded.publicKey(), sign(algorithm, (PrivateKey) original.signingKey())))
                    .as("%s signature of %s made with the original key verifies with the loaded key", algorithm, kid)
                    .isTrue();
        }
    }

    private static byte[] sign(SigningAlgorithm algorithm, PrivateKey key) {
        try {
            Signature signature = signature(algorithm);
            signature.initSign(key);
            signature.update(PAYLOAD);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new AssertionError("cannot sign with " + algorithm, e);
        }
    }

    private static boolean verify(SigningAlgorithm algorithm, PublicKey key, byte[] signed) {
        try {
            Signature signature = signature(algorithm);
            signature.initVerify(key);
            signature.update(PAYLOAD);
            return signature.verify(signed);
        } catch (GeneralSecurityException e) {
            throw new AssertionError("cannot verify with " + algorithm, e);
        }
    }

    private static Signature signature(SigningAlgorithm algorithm) throws GeneralSecurityException {
        return JcaSignatures.of(algorithm);
    }

    private static byte[] mac(SigningAlgorithm algorithm, Key secret) {
        try {
            Mac mac = Mac.getInstance(algorithm.jcaMacName());
            mac.init(secret);
            return mac.doFinal(PAYLOAD);
        } catch (GeneralSecurityException e) {
            throw new AssertionError("cannot compute " + algorithm, e);
        }
    }

    // ---------------------------------------------------------------- fixtures

    /** A rotation for {@code algorithm}: one-day periods, one hour publish-ahead, 5 minute tokens, 30 s skew. */
    protected static Rotation rotation(SigningAlgorithm algorithm) {
        return new Rotation(new RotationPolicy(algorithm, Duration.ofDays(1), Duration.ofHours(1),
                Duration.ofMinutes(5), Duration.ofSeconds(30)), GENERATOR);
    }

    /**
     * A ring of five {@code algorithm} keys, oldest first: DESTROYED, REVOKED (after retiring, with a 20 minute token
     * recorded), RETIRED, ACTIVE, PENDING. Built once per algorithm and shared, since rings are immutable.
     */
    protected static synchronized KeyRing ringWithEveryState(SigningAlgorithm algorithm) {
        return EVERY_STATE_RINGS.computeIfAbsent(algorithm, KeyRingStoreContract::buildRingWithEveryState);
    }

    private static KeyRing buildRingWithEveryState(SigningAlgorithm algorithm) {
        Rotation rotation = rotation(algorithm);
        KeyRing ring = rotation.bootstrap(T0);
        ring = rotation.rotateNow(ring, T0.plus(Duration.ofHours(1)), true);
        String longLived = ring.active().kid();
        ring = rotation.recordIssue(ring, longLived, Duration.ofMinutes(20));
        ring = rotation.rotateNow(ring, T0.plus(Duration.ofHours(3)), true);
        ring = rotation.revoke(ring, longLived, T0.plus(Duration.ofHours(3)).plusSeconds(300));
        ring = rotation.rotateNow(ring, T0.plus(Duration.ofHours(4)), true);

        assertThat(ring.keys()).extracting(ManagedKey::state).as("fixture states").containsExactly(
                KeyState.DESTROYED, KeyState.REVOKED, KeyState.RETIRED, KeyState.ACTIVE, KeyState.PENDING);
        KeyMetadata revoked = ring.keys().get(1).metadata();
        assertThat(revoked.revoked()).as("fixture revocation instant").isNotNull();
        assertThat(revoked.destroyAfter()).as("fixture retire window").isNotNull();
        assertThat(revoked.maxIssuedLifetime()).as("fixture recorded lifetime").isEqualTo(Duration.ofMinutes(20));
        assertThat(ring.keys().get(2).metadata().destroyAfter()).as("fixture retire window").isNotNull();
        return ring;
    }

    /**
     * A ring that went through every algorithm, one rotation a minute: one ES256 key, RSA, PS256, EdDSA and HMAC keys
     * RETIRED, an HS384 key ACTIVE and an HS512 key PENDING.
     */
    protected static synchronized KeyRing ringMixingEveryAlgorithm() {
        if (mixedRing == null) {
            KeyRing ring = rotation(SigningAlgorithm.ES256).bootstrap(T0);
            Instant now = T0;
            List<SigningAlgorithm> next = new ArrayList<>(List.of(SigningAlgorithm.values()));
            next.remove(SigningAlgorithm.ES256);
            for (SigningAlgorithm algorithm : next) {
                now = now.plus(Duration.ofMinutes(1));
                ring = rotation(algorithm).rotateNow(ring, now, true);
            }
            assertThat(ring.keys()).extracting(ManagedKey::algorithm).as("fixture algorithms")
                    .containsAll(List.of(SigningAlgorithm.values()));
            mixedRing = ring;
        }
        return mixedRing;
    }
}
