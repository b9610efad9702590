package io.github.jwtkeyring.keys;

import static io.github.jwtkeyring.keys.KeyState.ACTIVE;
import static io.github.jwtkeyring.keys.KeyState.DESTROYED;
import static io.github.jwtkeyring.keys.KeyState.PENDING;
import static io.github.jwtkeyring.keys.KeyState.RETIRED;
import static io.github.jwtkeyring.keys.KeyState.REVOKED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeyRingTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final KeyGenerator GENERATOR = new JdkKeyGenerator(new SecureRandom(), 2048);

    private static KeyMetadata metadata(String kid, KeyState state, SigningAlgorithm algorithm) {
        Instant destroyAfter = state == KeyState.RETIRED || state == KeyState.DESTROYED ? T0.plus(Duration.ofDays(31))
                : null;
        return new KeyMetadata(kid, algorithm, state, T0, T0, T0.plus(Duration.ofDays(30)), destroyAfter,
                state == KeyState.REVOKED ? T0 : null, Duration.ofMinutes(15));
    }

    /** A key of {@code state}, holding fresh ES256 material exactly when the state holds material. */
    private static ManagedKey key(String kid, KeyState state) {
        return new ManagedKey(metadata(kid, state, SigningAlgorithm.ES256),
                state.holdsMaterial() ? GENERATOR.generate(SigningAlgorithm.ES256) : null);
    }

    private static KeyRing ring(ManagedKey... keys) {
        return new KeyRing(7, List.of(keys));
    }

    // --- ring invariants

    @Test
    void ring_withOneActiveKey_exposesItAsActive() {
        ManagedKey active = key("a", ACTIVE);
        ManagedKey pending = key("p", PENDING);
        ManagedKey retired = key("r", RETIRED);

        KeyRing ring = ring(retired, active, pending);

        assertThat(ring.version()).isEqualTo(7);
        assertThat(ring.active()).isSameAs(active);
        assertThat(ring.pending()).containsSame(pending);
        assertThat(ring.keys()).containsExactly(retired, active, pending);
    }

    @Test
    void ring_withoutPendingKey_hasEmptyPending() {
        assertThat(ring(key("a", ACTIVE)).pending()).isEmpty();
    }

    @Test
    void ring_withNoKeys_isRefused() {
        assertThatThrownBy(() -> new KeyRing(1, List.of()))
                .isInstanceOf(KeyringException.class)
                .hasMessageContaining("ACTIVE");
    }

    @Test
    void ring_withoutActiveKey_isRefused() {
        assertThatThrownBy(() -> ring(key("p", PENDING), key("r", RETIRED)))
                .isInstanceOf(KeyringException.class)
                .hasMessageContaining("ACTIVE");
    }

    @Test
    void ring_withTwoActiveKeys_isRefusedNamingBoth() {
        assertThatThrownBy(() -> ring(key("a1", ACTIVE), key("a2", ACTIVE)))
                .isInstanceOf(KeyringException.class)
                .hasMessageContaining("a1")
                .hasMessageContaining("a2");
    }

    @Test
    void ring_withTwoPendingKeys_isRefused() {
        assertThatThrownBy(() -> ring(key("a", ACTIVE), key("p1", PENDING), key("p2", PENDING)))
                .isInstanceOf(KeyringException.class)
                .hasMessageContaining("p1")
                .hasMessageContaining("p2");
    }

    @Test
    void ring_withManyRetiredAndTerminalKeys_isAccepted() {
        KeyRing ring = ring(key("r1", RETIRED), key("r2", RETIRED), key("d1", DESTROYED), key("d2", DESTROYED),
                key("x1", REVOKED), key("x2", REVOKED), key("a", ACTIVE));

        assertThat(ring.keys()).hasSize(7);
    }

    @Test
    void ring_withDuplicateKid_isRefused() {
        assertThatThrownBy(() -> ring(key("same", RETIRED), key("same", ACTIVE)))
                .isInstanceOf(KeyringException.class)
                .hasMessageContaining("same");
    }

    @Test
    void ring_copiesTheKeyListAndIsUnmodifiable() {
        List<ManagedKey> keys = new ArrayList<>(List.of(key("a", ACTIVE)));
        KeyRing ring = new KeyRing(1, keys);

        keys.add(key("p", PENDING));

        assertThat(ring.keys()).extracting(ManagedKey::kid).containsExactly("a");
        assertThatThrownBy(() -> ring.keys().add(key("x", RETIRED)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    // --- lookups

    @ParameterizedTest
    @EnumSource(value = KeyState.class, names = { "PENDING", "ACTIVE", "RETIRED" })
    void verifying_liveKey_isFound(KeyState state) {
        ManagedKey key = key("k", state);
        KeyRing ring = state == ACTIVE ? ring(key) : ring(key("a", ACTIVE), key);

        assertThat(ring.verifying("k")).containsSame(key);
    }

    @ParameterizedTest
    @EnumSource(value = KeyState.class, names = { "DESTROYED", "REVOKED" })
    void verifying_deadKey_isEmptyButFindStillKnowsIt(KeyState state) {
        ManagedKey dead = key("dead", state);
        KeyRing ring = ring(key("a", ACTIVE), dead);

        assertThat(ring.verifying("dead")).isEmpty();
        assertThat(ring.find("dead")).containsSame(dead);
    }

    @Test
    void verifying_unknownOrNullKid_isEmpty() {
        KeyRing ring = ring(key("a", ACTIVE));

        assertThat(ring.verifying("nope")).isEmpty();
        assertThat(ring.verifying(null)).isEmpty();
        assertThat(ring.find(null)).isEmpty();
        assertThat(ring.find("nope")).isEmpty();
    }

    @Test
    void require_unknownKid_throwsUnknownKeyExceptionNamingIt() {
        KeyRing ring = ring(key("a", ACTIVE));

        assertThatThrownBy(() -> ring.require("nope"))
                .isInstanceOfSatisfying(UnknownKeyException.class, e -> assertThat(e.kid()).isEqualTo("nope"))
                .hasMessageContaining("nope");
    }

    // --- with()

    @Test
    void with_replacesKeyByKidInPlaceAndBumpsVersion() {
        ManagedKey retired = key("r", RETIRED);
        ManagedKey active = key("a", ACTIVE);
        ManagedKey pending = key("p", PENDING);
        KeyRing ring = ring(retired, active, pending);
        ManagedKey destroyed = retired.with(retired.metadata().moveTo(DESTROYED));

        KeyRing next = ring.with(destroyed);

        assertThat(next.version()).isEqualTo(ring.version() + 1);
        assertThat(next.keys()).containsExactly(destroyed, active, pending);
        assertThat(next.find("r")).map(ManagedKey::state).contains(DESTROYED);
    }

    @Test
    void with_appendsKeyWithNewKid() {
        KeyRing ring = ring(key("a", ACTIVE));
        ManagedKey pending = key("p", PENDING);

        KeyRing next = ring.with(pending);

        assertThat(next.keys()).extracting(ManagedKey::kid).containsExactly("a", "p");
        assertThat(next.pending()).containsSame(pending);
    }

    @Test
    void with_leavesTheOriginalSnapshotUntouched() {
        ManagedKey active = key("a", ACTIVE);
        KeyRing ring = ring(active);

        ring.with(key("p", PENDING));

        assertThat(ring.version()).isEqualTo(7);
        assertThat(ring.keys()).containsExactly(active);
        assertThat(ring.pending()).isEmpty();
    }

    @Test
    void with_changeThatBreaksAnInvariant_isRefused() {
        KeyRing ring = ring(key("a", ACTIVE));

        assertThatThrownBy(() -> ring.with(key("b", ACTIVE))).isInstanceOf(KeyringException.class);
    }

    // --- ManagedKey

    @ParameterizedTest
    @EnumSource(value = KeyState.class, names = { "DESTROYED", "REVOKED" })
    void managedKey_deadStateWithMaterial_isRefused(KeyState state) {
        KeyMaterial material = GENERATOR.generate(SigningAlgorithm.ES256);

        assertThatThrownBy(() -> new ManagedKey(metadata("k", state, SigningAlgorithm.ES256), material))
                .isInstanceOf(KeyringException.class)
                .hasMessageContaining("k");
    }

    @ParameterizedTest
    @EnumSource(value = KeyState.class, names = { "PENDING", "ACTIVE", "RETIRED" })
    void managedKey_liveStateWithoutMaterial_isRefused(KeyState state) {
        assertThatThrownBy(() -> new ManagedKey(metadata("k", state, SigningAlgorithm.ES256), null))
                .isInstanceOf(KeyringException.class)
                .hasMessageContaining("k");
    }

    @Test
    void managedKey_materialForAnotherAlgorithm_isRefused() {
        KeyMaterial ed25519 = GENERATOR.generate(SigningAlgorithm.EDDSA);

        assertThatThrownBy(() -> new ManagedKey(metadata("k", ACTIVE, SigningAlgorithm.ES256), ed25519))
                .isInstanceOf(KeyringException.class)
                .hasMessageContaining("ES256")
                .hasMessageContaining("EdDSA");
    }

    @Test
    void managedKey_movedToDestroyed_dropsItsMaterial() {
        ManagedKey retired = key("r", RETIRED);

        ManagedKey destroyed = retired.with(retired.metadata().moveTo(DESTROYED));

        assertThat(destroyed.material()).isEmpty();
        assertThatThrownBy(destroyed::requireMaterial).isInstanceOf(KeyringException.class);
    }

    @Test
    void managedKey_movedToAnotherLiveState_keepsItsMaterial() {
        ManagedKey pending = key("p", PENDING);

        ManagedKey active = pending.with(pending.metadata().moveTo(ACTIVE));

        assertThat(active.requireMaterial()).isSameAs(pending.requireMaterial());
    }

    @Test
    void managedKey_withMetadataOfAnotherKid_isRefused() {
        ManagedKey key = key("a", ACTIVE);

        assertThatThrownBy(() -> key.with(metadata("b", ACTIVE, SigningAlgorithm.ES256)))
                .isInstanceOf(KeyringException.class);
    }

    // --- no key bytes in toString()

    @Test
    void toString_ofAsymmetricKeyAndRing_neverContainsPrivateKeyBytes() {
        KeyMaterial material = GENERATOR.generate(SigningAlgorithm.ES256);
        ManagedKey key = new ManagedKey(metadata("a", ACTIVE, SigningAlgorithm.ES256), material);
        KeyRing ring = ring(key);
        byte[] secret = material.signingKey().getEncoded();
        BigInteger scalar = ((ECPrivateKey) material.signingKey()).getS();

        assertThat(List.of(material.toString(), key.toString(), ring.toString()))
                .allSatisfy(text -> assertHasNoBytesOf(text, secret))
                .allSatisfy(text -> assertThat(text).doesNotContain(scalar.toString(), scalar.toString(16)));
        assertThat(key.toString()).contains("a", "ES256", "ACTIVE");
    }

    @Test
    void toString_ofHmacKeyAndRing_neverContainsTheSecret() {
        KeyMaterial material = GENERATOR.generate(SigningAlgorithm.HS256);
        ManagedKey key = new ManagedKey(metadata("h", ACTIVE, SigningAlgorithm.HS256), material);
        KeyRing ring = ring(key);
        byte[] secret = material.signingKey().getEncoded();

        assertThat(List.of(material.toString(), key.toString(), ring.toString()))
                .allSatisfy(text -> assertHasNoBytesOf(text, secret));
    }

    private static void assertHasNoBytesOf(String text, byte[] secret) {
        assertThat(text)
                .doesNotContain(Base64.getEncoder().encodeToString(secret))
                .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(secret))
                .doesNotContain(hex(secret));
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(String.format("%02x", b));
        }
        return out.toString();
    }

    @Test
    void managedKey_retiredWithoutEndOfRetireWindow_isRefused() {
        KeyMetadata retired = new KeyMetadata("k", SigningAlgorithm.ES256, KeyState.RETIRED, T0, T0,
                T0.plus(Duration.ofDays(1)), null, null, Duration.ofMinutes(5));

        assertThatThrownBy(() -> new ManagedKey(retired, GENERATOR.generate(SigningAlgorithm.ES256)))
                .isInstanceOf(KeyringException.class).hasMessageContaining("destroyAfter");
    }
}
