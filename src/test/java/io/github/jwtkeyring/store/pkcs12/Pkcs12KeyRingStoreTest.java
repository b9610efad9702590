package io.github.jwtkeyring.store.pkcs12;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.jwtkeyring.keys.KeyMaterial;
import io.github.jwtkeyring.keys.KeyMetadata;
import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.store.KeyRingStore;
import io.github.jwtkeyring.store.KeyRingStoreContract;

class Pkcs12KeyRingStoreTest extends KeyRingStoreContract {

    private static final String PASSWORD = "Tr0ub4dor&3-keyring-pw";
    private static final String WRONG_PASSWORD = "not-the-keyring-pw-42";

    @TempDir
    Path dir;

    private Path file;

    @Override
    protected KeyRingStore newStore() {
        file = dir.resolve("keyring.p12");
        return new Pkcs12KeyRingStore(file, PASSWORD.toCharArray());
    }

    @Override
    protected KeyRingStore reopen() {
        return new Pkcs12KeyRingStore(file, PASSWORD.toCharArray());
    }

    // ---------------------------------------------------------------- reopening and passwords

    @Test
    void load_byNewInstanceWithSamePassword_returnsTheSavedRing() {
        KeyRing ring = ringWithEveryState(SigningAlgorithm.RS256);
        store.save(ring);

        Pkcs12KeyRingStore reopened = new Pkcs12KeyRingStore(dir.resolve("keyring.p12"), PASSWORD.toCharArray());

        assertSameRing(reopened.load().orElseThrow(), ring);
    }

    @Test
    void load_withWrongPassword_failsClearlyAndLeavesFileUntouched() throws IOException {
        store.save(ringWithEveryState(SigningAlgorithm.ES256));
        byte[] before = Files.readAllBytes(file);

        Pkcs12KeyRingStore wrong = new Pkcs12KeyRingStore(file, WRONG_PASSWORD.toCharArray());
        StoreException failure = catchThrowableOfType(StoreException.class, wrong::load);

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains(file.toString())
                .contains("password")
                .contains("is wrong or the file is damaged")
                .contains("left untouched");
        assertNoPasswordIn(failure);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertSameRing(reopen().load().orElseThrow(), ringWithEveryState(SigningAlgorithm.ES256));
    }

    @Test
    void constructor_copiesThePassword_soTheCallerMayClearItsArray() {
        char[] password = PASSWORD.toCharArray();
        Pkcs12KeyRingStore own = new Pkcs12KeyRingStore(file, password);
        Arrays.fill(password, '\0');
        KeyRing ring = rotation(SigningAlgorithm.ES256).bootstrap(T0);

        own.save(ring);

        assertSameRing(reopen().load().orElseThrow(), ring);
    }

    @Test
    void constructor_refusesAPasswordThePkcs12FormatCannotUse() {
        assertThatThrownBy(() -> new Pkcs12KeyRingStore(file, "pässwort".toCharArray()))
                .isInstanceOf(StoreException.class).hasMessageContaining("printable ASCII")
                .hasMessageNotContaining("pässwort");
        assertThatThrownBy(() -> new Pkcs12KeyRingStore(file, new char[0]))
                .isInstanceOf(StoreException.class).hasMessageContaining("empty");
        assertThat(file).doesNotExist();
    }

    @Test
    void toStringAndDescribe_nameThePathButNeverThePassword() {
        assertThat(store.toString()).contains(file.toString()).doesNotContain(PASSWORD);
        assertThat(store.describe()).contains(file.toString()).doesNotContain(PASSWORD);
    }

    // ---------------------------------------------------------------- damaged files

    /** Ways a keystore file gets damaged. */
    enum Damage {
        ONE_BYTE_FLIPPED_IN_THE_MIDDLE(bytes -> {
            byte[] damaged = bytes.clone();
            damaged[damaged.length / 2] ^= (byte) 0x5a;
            return damaged;
        }),
        TRUNCATED(bytes -> Arrays.copyOf(bytes, bytes.length * 2 / 3)),
        RANDOM_BYTES(bytes -> {
            byte[] random = new byte[bytes.length];
            new Random(20250106L).nextBytes(random);
            return random;
        }),
        EMPTY(bytes -> new byte[0]);

        private final UnaryOperator<byte[]> damage;

        Damage(UnaryOperator<byte[]> damage) {
            this.damage = damage;
        }
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void load_ofDamagedFile_failsClearlyAndLeavesFileUntouched(Damage damage) throws IOException {
        store.save(ringWithEveryState(SigningAlgorithm.ES256));
        byte[] damaged = damage.damage.apply(Files.readAllBytes(file));
        Files.write(file, damaged);

        StoreException failure = catchThrowableOfType(StoreException.class, () -> reopen().load());

        assertThat(failure).as("load of a file with %s", damage).isNotNull();
        assertThat(failure.getMessage()).contains(file.toString())
                .contains("damaged")
                .contains("left untouched");
        assertNoPasswordIn(failure);
        assertThat(Files.readAllBytes(file)).isEqualTo(damaged);
    }

    @Test
    void load_ofPkcs12WithoutManifest_failsClearlyAndLeavesFileUntouched() throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setEntry("key-0", new KeyStore.SecretKeyEntry(new SecretKeySpec(new byte[32], "HmacSHA256")),
                new KeyStore.PasswordProtection(PASSWORD.toCharArray()));
        byte[] bytes = write(keyStore);

        StoreException failure = catchThrowableOfType(StoreException.class, () -> reopen().load());

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains(file.toString())
                .contains("key ring is damaged")
                .contains(Pkcs12KeyRingStore.MANIFEST_ALIAS)
                .contains("left untouched");
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    }

    @Test
    void load_ofManifestInUnknownFormat_namesBothFormats() throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        byte[] manifest = "format=jwt-keyring/99\nversion=1\nkeys=0\n".getBytes(StandardCharsets.UTF_8);
        keyStore.setEntry(Pkcs12KeyRingStore.MANIFEST_ALIAS,
                new KeyStore.SecretKeyEntry(new SecretKeySpec(manifest, "HmacSHA256")),
                new KeyStore.PasswordProtection(PASSWORD.toCharArray()));
        write(keyStore);

        assertThatThrownBy(() -> reopen().load()).isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("jwt-keyring/99")
                .hasMessageContaining(RingManifest.FORMAT);
    }

    @Test
    void load_whenThePathIsADirectory_failsClearly() throws IOException {
        Files.createDirectory(file);

        assertThatThrownBy(() -> reopen().load()).isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("cannot be read");
    }

    // ---------------------------------------------------------------- the file on disk

    @Test
    void save_twice_leavesOnlyTheKeystoreInItsDirectory() throws IOException {
        KeyRing first = rotation(SigningAlgorithm.ES256).bootstrap(T0);
        store.save(first);
        store.save(rotation(SigningAlgorithm.ES256).rotateNow(first, T0.plus(Duration.ofHours(1)), true));

        assertThat(fileNames(dir)).containsExactly("keyring.p12");
    }

    @Test
    void save_writesFileReadableAndWritableByItsOwnerOnly() throws IOException {
        Assumptions.assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class),
                "the file system of the temporary directory is not POSIX");
        KeyRing first = rotation(SigningAlgorithm.ES256).bootstrap(T0);

        store.save(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        store.save(rotation(SigningAlgorithm.ES256).rotateNow(first, T0.plus(Duration.ofHours(1)), true));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void save_neverWritesPrivateKeysOrSecretsInClear() throws IOException {
        KeyRing ring = ringMixingEveryAlgorithm();

        store.save(ring);

        byte[] bytes = Files.readAllBytes(file);
        for (ManagedKey key : ring.keys()) {
            KeyMaterial material = key.requireMaterial();
            byte[] encoded = material.signingKey().getEncoded();
            assertDoesNotContain(bytes, encoded, key.algorithm() + " signing key " + key.kid());
            assertDoesNotContain(bytes, Base64.getEncoder().encode(encoded),
                    "Base64 of " + key.algorithm() + " signing key " + key.kid());
            if (!material.algorithm().symmetric()) {
                assertDoesNotContain(bytes, privatePart((PrivateKey) material.signingKey()),
                        "private value of " + key.algorithm() + " key " + key.kid());
            }
        }
    }

    @Test
    void save_intoDirectoryThatDoesNotExistYet_createsIt() {
        Path nested = dir.resolve("does/not/exist/yet/keyring.p12");
        Pkcs12KeyRingStore nestedStore = new Pkcs12KeyRingStore(nested, PASSWORD.toCharArray());
        KeyRing ring = rotation(SigningAlgorithm.EDDSA).bootstrap(T0);

        nestedStore.save(ring);

        assertThat(nested).isRegularFile();
        assertSameRing(new Pkcs12KeyRingStore(nested, PASSWORD.toCharArray()).load().orElseThrow(), ring);
    }

    @Test
    void save_whenParentPathIsARegularFile_failsClearlyAndLeavesThePreviousFileUntouched() throws IOException {
        store.save(ringWithEveryState(SigningAlgorithm.ES256));
        byte[] before = Files.readAllBytes(file);
        Path beneathTheKeystore = file.resolve("keyring.p12");
        Pkcs12KeyRingStore blocked = new Pkcs12KeyRingStore(beneathTheKeystore, PASSWORD.toCharArray());

        StoreException failure = catchThrowableOfType(StoreException.class,
                () -> blocked.save(rotation(SigningAlgorithm.ES256).bootstrap(T0)));

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains(beneathTheKeystore.toString())
                .contains("previous key ring is still stored");
        assertNoPasswordIn(failure);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(fileNames(dir)).containsExactly("keyring.p12");
    }

    @Test
    void save_whenTheKeystoreCannotBeReplaced_failsAndLeavesNoTemporaryFile() throws IOException {
        Files.createDirectories(file.resolve("something-inside"));

        StoreException failure = catchThrowableOfType(StoreException.class,
                () -> store.save(rotation(SigningAlgorithm.ES256).bootstrap(T0)));

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains(file.toString());
        assertNoPasswordIn(failure);
        assertThat(fileNames(dir)).containsExactly("keyring.p12");
        assertThat(file).isDirectory();
    }

    @Test
    void save_ofRingWhoseKeyCannotBeExported_failsWithStoreExceptionAndKeepsThePreviousRing() throws IOException {
        KeyRing previous = rotation(SigningAlgorithm.ES256).bootstrap(T0);
        store.save(previous);
        byte[] before = Files.readAllBytes(file);
        KeyMaterial exportable = ringWithEveryState(SigningAlgorithm.ES256).active().requireMaterial();
        KeyMaterial onToken = KeyMaterial.asymmetric(SigningAlgorithm.ES256,
                new NonExportablePrivateKey((ECPrivateKey) exportable.signingKey()),
                exportable.publicKey());
        KeyRing withTokenKey = previous.with(new ManagedKey(new KeyMetadata("on-token", SigningAlgorithm.ES256,
                KeyState.PENDING, T0, T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(2)), null, null,
                Duration.ofMinutes(5)), onToken));

        assertThatThrownBy(() -> store.save(withTokenKey)).isInstanceOf(StoreException.class);

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(fileNames(dir)).containsExactly("keyring.p12");
        assertSameRing(reopen().load().orElseThrow(), previous);
    }

    @Test
    void save_writesStandardPkcs12ThatTheJdkOpensWithThePassword() throws Exception {
        KeyRing ring = ringWithEveryState(SigningAlgorithm.PS256);
        store.save(ring);

        KeyStore keyStore = KeyStore.getInstance(file.toFile(), PASSWORD.toCharArray());

        assertThat(keyStore.getType()).isEqualToIgnoringCase("PKCS12");
        KeyStore explicit = KeyStore.getInstance("PKCS12");
        explicit.load(new ByteArrayInputStream(Files.readAllBytes(file)), PASSWORD.toCharArray());
        long withMaterial = ring.keys().stream().filter(k -> k.material().isPresent()).count();
        assertThat(Collections.list(explicit.aliases())).hasSize((int) withMaterial + 1)
                .contains(Pkcs12KeyRingStore.MANIFEST_ALIAS);
        assertThat(explicit.getEntry(Pkcs12KeyRingStore.MANIFEST_ALIAS,
                new KeyStore.PasswordProtection(PASSWORD.toCharArray())))
                .isInstanceOf(KeyStore.SecretKeyEntry.class);
    }

    @Test
    void save_thenLoad_keepsInstantsToTheNanosecond() {
        Instant precise = Instant.parse("2025-01-06T08:00:00.123456789Z");
        KeyRing ring = rotation(SigningAlgorithm.HS256).bootstrap(precise);

        store.save(ring);

        assertThat(reopen().load().orElseThrow().active().metadata().created()).isEqualTo(precise);
    }

    // ---------------------------------------------------------------- helpers

    private byte[] write(KeyStore keyStore) throws Exception {
        try (var out = Files.newOutputStream(file)) {
            keyStore.store(out, PASSWORD.toCharArray());
        }
        return Files.readAllBytes(file);
    }

    private static List<String> fileNames(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void assertNoPasswordIn(Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).as("stack trace of the failure").doesNotContain(PASSWORD)
                .doesNotContain(WRONG_PASSWORD);
    }

    private static void assertDoesNotContain(byte[] haystack, byte[] needle, String what) {
        assertThat(indexOf(haystack, needle)).as("%s appears in clear in the keystore file", what).isEqualTo(-1);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer: for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The raw private value: the EC scalar, the RSA private exponent or the Ed25519 seed. */
    private static byte[] privatePart(PrivateKey key) {
        if (key instanceof ECPrivateKey ec) {
            return unsigned(ec.getS());
        }
        if (key instanceof RSAPrivateKey rsa) {
            return unsigned(rsa.getPrivateExponent());
        }
        if (key instanceof EdECPrivateKey ed) {
            return ed.getBytes().orElseThrow();
        }
        throw new IllegalArgumentException(key.getAlgorithm());
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    /** A private key that stays on its token, as an HSM's would: it signs, but has no encoding. */
    private static final class NonExportablePrivateKey implements ECPrivateKey {

        private static final long serialVersionUID = 1L;

        private final ECPrivateKey key;

        NonExportablePrivateKey(ECPrivateKey key) {
            this.key = key;
        }

        @Override
        public String getAlgorithm() {
            return key.getAlgorithm();
        }

        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }

        @Override
        public BigInteger getS() {
            return key.getS();
        }

        @Override
        public ECParameterSpec getParams() {
            return key.getParams();
        }
    }
}
