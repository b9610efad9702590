package io.github.jwtkeyring.store.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.jwtkeyring.issue.AccessTokenRequest;
import io.github.jwtkeyring.issue.IssuedToken;
import io.github.jwtkeyring.issue.IssuerSettings;
import io.github.jwtkeyring.issue.Jose4jTokenIssuer;
import io.github.jwtkeyring.issue.TokenIssuer;
import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.rotation.Rotation;
import io.github.jwtkeyring.rotation.RotationPolicy;
import io.github.jwtkeyring.rotation.StoredKeyRingManager;
import io.github.jwtkeyring.store.pkcs12.Pkcs12KeyRingStore;
import io.github.jwtkeyring.testing.MutableClock;
import io.github.jwtkeyring.testing.SoftHsm;
import io.github.jwtkeyring.verify.TokenVerifier;
import io.github.jwtkeyring.verify.VerificationPolicy;

/**
 * The key ring with its keys on a real SoftHSM2 token and its timeline in a PKCS#12 manifest: rotation, restart,
 * destruction and revocation on the token, and the clean-up of keys a crash left behind.
 */
class Pkcs11CustodyLifecycleSoftHsmTest {

    private static final char[] PASSWORD = "manifest-password".toCharArray();
    private static final Duration PERIOD = Duration.ofDays(1);

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
    private SoftHsm.Token token;
    private Pkcs11KeyCustody custody;

    @BeforeEach
    void token() {
        token = SoftHsm.token("lifecycle", "2468");
        custody = open("jk-");
    }

    @AfterEach
    void close() {
        if (custody != null) {
            custody.close();
        }
    }

    private Pkcs11KeyCustody open(String prefix) {
        return Pkcs11KeyCustody.open(token.pkcs11Slot(), token.pin().toCharArray(), 2048, prefix);
    }

    private StoredKeyRingManager manager(Pkcs11KeyCustody custody, SigningAlgorithm algorithm) {
        RotationPolicy policy = new RotationPolicy(algorithm, PERIOD, Duration.ofHours(1), Duration.ofMinutes(5),
                Duration.ofSeconds(60));
        return new StoredKeyRingManager(new Pkcs12KeyRingStore(dir.resolve("keyring.p12"), PASSWORD, custody),
                new Rotation(policy, custody::generate), clock, custody);
    }

    /** The kids on the token, as another process sees them. */
    private Set<String> onToken() {
        try (Pkcs11KeyCustody other = open("jk-")) {
            return other.kids();
        }
    }

    @ParameterizedTest
    @EnumSource(value = SigningAlgorithm.class, names = { "ES256", "HS256" })
    void ring_rotatesOnTheToken_andTokensVerifyAcrossARestart(SigningAlgorithm algorithm) throws Exception {
        StoredKeyRingManager manager = manager(custody, algorithm);
        KeyRing started = manager.start();
        String active = started.active().kid();
        assertThat(active).startsWith("jk-");
        assertThat(onToken()).containsExactlyInAnyOrderElementsOf(kids(started));
        assertThat(secretEntries()).as("the manifest holds no key material").isEmpty();
        IssuedToken issued = issuer(manager).issue(AccessTokenRequest.of("alice", Set.of("user")));

        try (Pkcs11KeyCustody restartedCustody = open("jk-")) {
            StoredKeyRingManager restarted = manager(restartedCustody, algorithm);
            assertThat(restarted.start().active().kid()).isEqualTo(active);
            assertThat(verifier(restarted).verify(issued.token()).claims().getSubject()).isEqualTo("alice");
            assertThat(restarted.current().active().requireMaterial().signingKey().getEncoded()).isNull();
        }
    }

    @Test
    void retiredKeys_areDestroyedOnTheToken_whenTheirWindowEnds() {
        StoredKeyRingManager manager = manager(custody, SigningAlgorithm.ES256);
        String first = manager.start().active().kid();

        clock.advance(PERIOD);
        KeyRing rotated = manager.tick();
        assertThat(rotated.find(first).orElseThrow().state()).isEqualTo(KeyState.RETIRED);
        assertThat(onToken()).contains(first);

        clock.set(rotated.find(first).orElseThrow().metadata().destroyAfter());
        KeyRing later = manager.tick();
        assertThat(later.find(first).orElseThrow().state()).isEqualTo(KeyState.DESTROYED);
        assertThat(onToken()).doesNotContain(first).containsExactlyInAnyOrderElementsOf(kids(later));
    }

    @Test
    void revokedKeys_areDestroyedOnTheToken_atOnce() {
        StoredKeyRingManager manager = manager(custody, SigningAlgorithm.ES256);
        String active = manager.start().active().kid();

        KeyRing after = manager.revoke(active);

        assertThat(after.find(active).orElseThrow().state()).isEqualTo(KeyState.REVOKED);
        assertThat(onToken()).doesNotContain(active).containsExactlyInAnyOrderElementsOf(kids(after));
    }

    @Test
    void start_removesKeysNoRingHolds_andLeavesOtherObjectsAlone() {
        StoredKeyRingManager manager = manager(custody, SigningAlgorithm.ES256);
        KeyRing ring = manager.start();
        String generatedButNeverStored = custody.generate(SigningAlgorithm.ES256).custodyLabel().orElseThrow();
        String someoneElses;
        try (Pkcs11KeyCustody other = open("other-")) {
            someoneElses = other.generate(SigningAlgorithm.ES256).custodyLabel().orElseThrow();
        }

        try (Pkcs11KeyCustody restartedCustody = open("jk-")) {
            manager(restartedCustody, SigningAlgorithm.ES256).start();
        }

        assertThat(onToken()).containsExactlyInAnyOrderElementsOf(kids(ring));
        try (Pkcs11KeyCustody other = open("other-")) {
            assertThat(other.kids()).containsExactly(someoneElses);
        }
        assertThat(generatedButNeverStored).isNotIn(kids(ring));
    }

    @Test
    void start_withoutAStoredRing_removesNothing() {
        String someRingsKey = custody.generate(SigningAlgorithm.ES256).custodyLabel().orElseThrow();

        KeyRing ring = manager(custody, SigningAlgorithm.ES256).start();

        assertThat(onToken()).as("a key this store's ring never held may be another ring's").contains(someRingsKey)
                .containsAll(kids(ring));
    }

    @Test
    void aRingReadFromItsStore_asksTheTokenOnlyWhenAKeySigns() {
        String active = manager(custody, SigningAlgorithm.ES256).start().active().kid();
        custody.destroy(active);

        KeyRing loaded = new Pkcs12KeyRingStore(dir.resolve("keyring.p12"), PASSWORD, custody).load().orElseThrow();

        assertThat(loaded.active().kid()).isEqualTo(active);
        assertThat(loaded.active().requireMaterial().publicKey()).isNotNull();
        assertThatThrownBy(() -> loaded.active().requireMaterial().sign(new byte[] { 1 }))
                .isInstanceOf(io.github.jwtkeyring.keys.SigningFailedException.class).hasMessageContaining(active);
    }

    @Test
    void start_refusesARingWhoseKeyIsMissingFromTheToken() {
        StoredKeyRingManager manager = manager(custody, SigningAlgorithm.ES256);
        String active = manager.start().active().kid();
        custody.destroy(active);

        try (Pkcs11KeyCustody restartedCustody = open("jk-")) {
            assertThatThrownBy(() -> manager(restartedCustody, SigningAlgorithm.ES256).start())
                    .isInstanceOf(StoreException.class).hasMessageContaining(active)
                    .hasMessageContaining("is not on the PKCS#11 token");
        }
    }

    @Test
    void aRingKeptOnTheToken_cannotBeOpenedWithoutTheCustody() {
        manager(custody, SigningAlgorithm.ES256).start();

        assertThatThrownBy(() -> new Pkcs12KeyRingStore(dir.resolve("keyring.p12"), PASSWORD).load())
                .isInstanceOf(StoreException.class).hasMessageContaining("keyring.custody.type=pkcs11");
    }

    private static Set<String> kids(KeyRing ring) {
        return ring.keys().stream().filter(k -> k.state().holdsMaterial()).map(ManagedKey::kid)
                .collect(java.util.stream.Collectors.toSet());
    }

    private java.util.List<String> secretEntries() throws Exception {
        KeyStore manifest = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("keyring.p12"))) {
            manifest.load(in, PASSWORD);
        }
        return Collections.list(manifest.aliases()).stream().filter(a -> !a.equals("jwt-keyring-manifest")).toList();
    }

    private TokenIssuer issuer(StoredKeyRingManager manager) {
        return new Jose4jTokenIssuer(manager, clock, new IssuerSettings("https://issuer.test", "api",
                Duration.ofMinutes(5)));
    }

    private TokenVerifier verifier(StoredKeyRingManager manager) {
        return new TokenVerifier(manager, clock, new VerificationPolicy("https://issuer.test", "api",
                Duration.ofSeconds(60), TokenIssuer.ACCESS_TOKEN_TYPE));
    }
}
