package io.github.jwtkeyring.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.crypto.AEADBadTagException;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.jwtkeyring.keys.JdkKeyGenerator;
import io.github.jwtkeyring.keys.KeyGenerator;
import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.rotation.Rotation;
import io.github.jwtkeyring.rotation.RotationPolicy;
import io.github.jwtkeyring.rotation.StoredKeyRingManager;
import io.github.jwtkeyring.testing.MutableClock;
import io.github.jwtkeyring.testing.PostgresServer;

/**
 * What the PostgreSQL store does to keep key material secret, against a real PostgreSQL server: the database only
 * ever holds material wrapped under a KEK it never sees, each wrapped value is bound to its kid, a wrong KEK is named
 * and changes nothing, and material moves from an old KEK to a new one without touching the ring.
 */
class JdbcKeyRingStoreEncryptionTest {

    private static final Instant T0 = Instant.parse("2025-01-06T08:00:00Z");
    private static final KeyGenerator GENERATOR = new JdkKeyGenerator(new SecureRandom(), 2048);

    private static final byte[] KEK1_BYTES = random(32);
    private static final byte[] KEK2_BYTES = random(32);
    private static final KeyEncryptionKey KEK1 = new KeyEncryptionKey(KEK1_BYTES.clone(), "test KEK 1");
    private static final KeyEncryptionKey KEK2 = new KeyEncryptionKey(KEK2_BYTES.clone(), "test KEK 2");
    private static final KeyEncryptionKeys ONLY_KEK1 = new KeyEncryptionKeys(KEK1, List.of());
    private static final KeyEncryptionKeys ONLY_KEK2 = new KeyEncryptionKeys(KEK2, List.of());

    /** One key of every algorithm holding material, and one REVOKED key without. */
    private static KeyRing ring;

    private DataSource dataSource;

    @BeforeAll
    static void buildRing() {
        ring = ringOfEveryAlgorithm();
    }

    @BeforeEach
    void freshDatabase() {
        dataSource = PostgresServer.shared().migratedDatabase();
    }

    private JdbcKeyRingStore store(KeyEncryptionKeys keks) {
        return new JdbcKeyRingStore(dataSource, keks, "test database");
    }

    // ---------------------------------------------------------------- nothing secret reaches the database

    @Test
    void save_leavesNoSecretBytesInAnyColumn_rawBase64OrHex() throws SQLException {
        store(ONLY_KEK1).save(ring);

        Map<String, byte[]> cells = everyTextAndBinaryCell();

        assertThat(cells).as("cells scanned").isNotEmpty();
        for (ManagedKey key : keysWithMaterial()) {
            for (Map.Entry<String, byte[]> secret : secretParts(key).entrySet()) {
                List<Needle> needles = encodings(secret.getValue());
                cells.forEach((cell, value) -> assertThat(findAny(value, needles))
                        .as("%s of %s key %s in %s", secret.getKey(), key.algorithm(), key.kid(), cell)
                        .isEmpty());
            }
        }
    }

    @Test
    void scan_findsPublicKeysInTheSameCells_soItWouldFindSecretsThere() throws SQLException {
        // a control for the test above: the scan does see the stored bytes
        store(ONLY_KEK1).save(ring);
        ManagedKey asymmetric = keysWithMaterial().stream().filter(k -> !k.algorithm().symmetric()).findFirst()
                .orElseThrow();

        Map<String, byte[]> cells = everyTextAndBinaryCell();

        List<Needle> needles = encodings(asymmetric.requireMaterial().publicKey().getEncoded());
        assertThat(cells.values()).anySatisfy(value -> assertThat(findAny(value, needles)).isPresent());
    }

    @Test
    void save_leavesNoSecretBytesInAPgDumpOfTheDatabase() throws Exception {
        Path pgDump = pgBinaries().resolve("pg_dump");
        assumeThat(Files.isExecutable(pgDump)).as("pg_dump next to initdb in %s", pgDump.getParent()).isTrue();
        store(ONLY_KEK1).save(ring);

        byte[] dump = pgDump(pgDump, currentDatabase());

        String activeWrapped = HexFormat.of().formatHex(wrappedMaterialOf(ring.active().kid()));
        assertThat(findAny(dump, List.of(new Needle("hex", activeWrapped))))
                .as("the dump holds the wrapped material of the ACTIVE key (control)").isPresent();
        for (ManagedKey key : keysWithMaterial()) {
            for (Map.Entry<String, byte[]> secret : secretParts(key).entrySet()) {
                assertThat(findAny(dump, encodings(secret.getValue())))
                        .as("%s of %s key %s in the pg_dump", secret.getKey(), key.algorithm(), key.kid())
                        .isEmpty();
            }
        }
    }

    // ---------------------------------------------------------------- each wrapped value is bound to its kid

    @Test
    void load_whenWrappedMaterialIsCopiedOntoAnotherKey_failsNamingThatKidWithoutKeyBytes() throws SQLException {
        store(ONLY_KEK1).save(ring);
        List<ManagedKey> es256 = keysWithMaterial().stream().filter(k -> k.algorithm() == SigningAlgorithm.ES256)
                .toList();
        assertThat(es256).as("fixture: two ES256 keys with material").hasSizeGreaterThanOrEqualTo(2);
        String source = es256.get(0).kid();
        String target = es256.get(1).kid();
        execute("UPDATE keyring_key SET wrapped_material = (SELECT wrapped_material FROM keyring_key WHERE kid = ?) "
                + "WHERE kid = ?", source, target);

        assertThatThrownBy(() -> store(ONLY_KEK1).load())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("'" + target + "'")
                .hasMessageContaining("does not decrypt")
                .hasRootCauseInstanceOf(AEADBadTagException.class)
                .satisfies(e -> assertNoKeyBytesIn(e, wrappedMaterialOf(target)));
    }

    @Test
    void load_whenWrappedMaterialIsCopiedOntoAKeyOfAnotherAlgorithm_failsNamingThatKid() throws SQLException {
        store(ONLY_KEK1).save(ring);
        ManagedKey hmac = keyOf(SigningAlgorithm.HS512);
        ManagedKey rsa = keyOf(SigningAlgorithm.RS256);
        execute("UPDATE keyring_key SET wrapped_material = (SELECT wrapped_material FROM keyring_key WHERE kid = ?) "
                + "WHERE kid = ?", hmac.kid(), rsa.kid());

        assertThatThrownBy(() -> store(ONLY_KEK1).load())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("'" + rsa.kid() + "'")
                .satisfies(e -> assertNoKeyBytesIn(e, wrappedMaterialOf(rsa.kid())));
    }

    // ---------------------------------------------------------------- a wrong KEK is named and changes nothing

    @Test
    void load_withAnotherKek_failsNamingTheMissingKekAndLeavesTheDatabaseUnchanged() throws SQLException {
        store(ONLY_KEK1).save(ring);
        List<String> before = everyRow();

        assertThatThrownBy(() -> store(ONLY_KEK2).load())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(KEK1.id())
                .satisfies(e -> assertNoKeyBytesIn(e, new byte[0]));

        assertThat(everyRow()).containsExactlyElementsOf(before);
    }

    @Test
    void startingANode_withAnotherKek_failsWithoutBootstrappingOverTheStoredRing() throws SQLException {
        store(ONLY_KEK1).save(ring);
        List<String> before = everyRow();
        Rotation rotation = new Rotation(new RotationPolicy(SigningAlgorithm.ES256, Duration.ofDays(1),
                Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofSeconds(30)), GENERATOR);
        StoredKeyRingManager node = new StoredKeyRingManager(store(ONLY_KEK2), rotation,
                new MutableClock(T0.plus(Duration.ofDays(3))));

        assertThatThrownBy(node::start).isInstanceOf(StoreException.class).hasMessageContaining(KEK1.id());

        assertThat(everyRow()).containsExactlyElementsOf(before);
    }

    @Test
    void rewrap_withoutThePreviousKek_leavesTheDatabaseUnchanged_andCountsTheKeysAsStuck() throws SQLException {
        store(ONLY_KEK1).save(ring);
        List<String> before = everyRow();
        JdbcKeyRingStore withoutKek1 = store(ONLY_KEK2);

        assertThat(withoutKek1.rewrapUnderCurrentKek()).isZero();

        assertThat(withoutKek1.stuckUnderOldKek()).isEqualTo(keysWithMaterial().size());
        assertThat(everyRow()).containsExactlyElementsOf(before);
        store(new KeyEncryptionKeys(KEK2, List.of(KEK1))).rewrapUnderCurrentKek();
        assertThat(withoutKek1.rewrapUnderCurrentKek()).isZero();
        assertThat(withoutKek1.stuckUnderOldKek()).as("once another node has re-wrapped them").isZero();
    }

    // ---------------------------------------------------------------- KEK rotation

    @Test
    void kekRotation_previousKekReadsOldMaterial_rewrapMovesEveryKeyToTheCurrentKekWithoutTouchingTheRing()
            throws SQLException {
        store(ONLY_KEK1).save(ring);
        long version = storedVersion();
        JdbcKeyRingStore rotating = store(new KeyEncryptionKeys(KEK2, List.of(KEK1)));

        assertSameMaterial(rotating.load().orElseThrow());

        int rewrapped = rotating.rewrapUnderCurrentKek();

        assertThat(rewrapped).isEqualTo(keysWithMaterial().size());
        assertThat(kekIdsByKid()).as("kek_id of every key after re-wrapping").allSatisfy((kid, kekId) -> {
            if (ring.require(kid).material().isPresent()) {
                assertThat(kekId).as("kek_id of %s", kid).isEqualTo(KEK2.id());
            } else {
                assertThat(kekId).as("kek_id of %s, which holds no material", kid).isNull();
            }
        });
        assertThat(storedVersion()).as("ring version").isEqualTo(version);
        assertThat(rotating.rewrapUnderCurrentKek()).as("a second re-wrap").isZero();

        assertThatThrownBy(() -> store(ONLY_KEK1).load())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(KEK2.id());
        KeyRing underKek2 = store(ONLY_KEK2).load().orElseThrow();
        assertThat(underKek2.version()).isEqualTo(ring.version());
        assertSameMaterial(underKek2);
    }

    @Test
    void rewrap_changesTheCiphertextOfEveryKey() throws SQLException {
        store(ONLY_KEK1).save(ring);
        Map<String, String> before = wrappedHexByKid();

        store(new KeyEncryptionKeys(KEK2, List.of(KEK1))).rewrapUnderCurrentKek();

        Map<String, String> after = wrappedHexByKid();
        assertThat(after.keySet()).containsExactlyInAnyOrderElementsOf(before.keySet());
        before.forEach((kid, wrapped) -> assertThat(after.get(kid)).as("wrapped material of %s", kid)
                .isNotEqualTo(wrapped));
    }

    @Test
    void save_withPreviousKekConfigured_wrapsUnderTheCurrentKekOnly() throws SQLException {
        store(new KeyEncryptionKeys(KEK2, List.of(KEK1))).save(ring);

        assertThat(kekIdsByKid().values()).filteredOn(id -> id != null).isNotEmpty().containsOnly(KEK2.id());
        assertSameMaterial(store(ONLY_KEK2).load().orElseThrow());
    }

    // ---------------------------------------------------------------- the KEK itself

    @ParameterizedTest
    @ValueSource(ints = { 0, 16, 31, 33, 64 })
    void keyEncryptionKey_ofWrongLength_isRefusedNamingTheSourceAndTheLength(int length) {
        assertThatThrownBy(() -> new KeyEncryptionKey(random(length), "KEYRING_KEK"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("KEYRING_KEK")
                .hasMessageContaining("32 bytes")
                .hasMessageContaining("it has " + length);
    }

    @Test
    void keyEncryptionKey_null_isRefused() {
        assertThatThrownBy(() -> new KeyEncryptionKey(null, "KEYRING_KEK")).isInstanceOf(StoreException.class);
    }

    @Test
    void keyEncryptionKey_copiesItsBytes_soClearingTheCallersArrayChangesNothing() {
        byte[] bytes = random(32);
        KeyEncryptionKey kek = new KeyEncryptionKey(bytes, "test");
        String id = kek.id();
        byte[] wrapped = kek.wrap("kid-1", SigningAlgorithm.HS256, "secret".getBytes(StandardCharsets.US_ASCII));

        Arrays.fill(bytes, (byte) 0);

        assertThat(kek.id()).isEqualTo(id);
        assertThat(kek.unwrap("kid-1", SigningAlgorithm.HS256, wrapped)).asString(StandardCharsets.US_ASCII)
                .isEqualTo("secret");
    }

    @Test
    void keyEncryptionKey_sameBytes_sameId_otherBytes_otherId() {
        byte[] bytes = random(32);

        assertThat(new KeyEncryptionKey(bytes.clone(), "a").id()).isEqualTo(new KeyEncryptionKey(bytes, "b").id())
                .startsWith("kek-");
        assertThat(KEK1.id()).isNotEqualTo(KEK2.id());
    }

    @Test
    void toString_ofKekKeksAndStore_showsIdsButNoKeyBytes() {
        byte[] bytes = random(32);
        KeyEncryptionKey kek = new KeyEncryptionKey(bytes.clone(), "test");
        KeyEncryptionKeys keks = new KeyEncryptionKeys(kek, List.of(KEK1));
        List<Needle> needles = encodings(bytes);

        assertThat(kek.toString()).isEqualTo("KeyEncryptionKey[" + kek.id() + "]");
        assertThat(keks.toString()).contains(kek.id(), KEK1.id());
        assertThat(new JdbcKeyRingStore(dataSource, keks, "db").toString()).contains(kek.id());
        for (String text : List.of(kek.toString(), keks.toString(),
                new JdbcKeyRingStore(dataSource, keks, "db").toString())) {
            assertThat(findAny(text.getBytes(StandardCharsets.ISO_8859_1), needles)).as(text).isEmpty();
        }
    }

    @Test
    void unwrap_ofDamagedValue_isRefusedNamingTheKid() {
        byte[] wrapped = KEK1.wrap("kid-1", SigningAlgorithm.HS256, random(32));
        byte[] flipped = wrapped.clone();
        flipped[flipped.length - 1] ^= 1;

        assertThatThrownBy(() -> KEK1.unwrap("kid-1", SigningAlgorithm.HS256, flipped))
                .isInstanceOf(StoreException.class).hasMessageContaining("'kid-1'");
        assertThatThrownBy(() -> KEK1.unwrap("kid-1", SigningAlgorithm.HS256, Arrays.copyOf(wrapped, 10)))
                .isInstanceOf(StoreException.class).hasMessageContaining("'kid-1'").hasMessageContaining("damaged");
        assertThatThrownBy(() -> KEK1.unwrap("kid-1", SigningAlgorithm.HS384, wrapped))
                .as("same kid, another algorithm").isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> KEK2.unwrap("kid-1", SigningAlgorithm.HS256, wrapped))
                .as("another KEK").isInstanceOf(StoreException.class).hasMessageContaining(KEK2.id());
    }

    // ---------------------------------------------------------------- fixtures

    /**
     * ES256 bootstrapped, then one rotation a minute with each algorithm in turn, then the first key revoked: keys of
     * every algorithm hold material, and one key holds none.
     */
    private static KeyRing ringOfEveryAlgorithm() {
        KeyRing built = rotation(SigningAlgorithm.ES256).bootstrap(T0);
        String first = built.active().kid();
        Instant now = T0;
        for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
            now = now.plus(Duration.ofMinutes(1));
            built = rotation(algorithm).rotateNow(built, now, true);
        }
        built = rotation(SigningAlgorithm.ES256).revoke(built, first, now);
        assertThat(built.keys()).filteredOn(k -> k.material().isPresent()).extracting(ManagedKey::algorithm)
                .as("fixture: every algorithm holds material").contains(SigningAlgorithm.values());
        assertThat(built.require(first).state()).as("fixture: a key without material").isEqualTo(KeyState.REVOKED);
        return built;
    }

    private static Rotation rotation(SigningAlgorithm algorithm) {
        return new Rotation(new RotationPolicy(algorithm, Duration.ofDays(1), Duration.ofHours(1),
                Duration.ofMinutes(5), Duration.ofSeconds(30)), GENERATOR);
    }

    private static List<ManagedKey> keysWithMaterial() {
        return ring.keys().stream().filter(k -> k.material().isPresent()).toList();
    }

    private static ManagedKey keyOf(SigningAlgorithm algorithm) {
        return keysWithMaterial().stream().filter(k -> k.algorithm() == algorithm).findFirst().orElseThrow();
    }

    private static void assertSameMaterial(KeyRing loaded) {
        assertThat(loaded.version()).isEqualTo(ring.version());
        assertThat(loaded.keys()).extracting(ManagedKey::metadata)
                .containsExactlyElementsOf(ring.keys().stream().map(ManagedKey::metadata).toList());
        for (ManagedKey original : ring.keys()) {
            ManagedKey copy = loaded.require(original.kid());
            assertThat(copy.material().isPresent()).as("%s holds material", original.kid())
                    .isEqualTo(original.material().isPresent());
            if (original.material().isPresent()) {
                assertThat(copy.requireMaterial().signingKey().getEncoded()).as("secret of %s", original.kid())
                        .isEqualTo(original.requireMaterial().signingKey().getEncoded());
                assertThat(copy.requireMaterial().verificationKey().getEncoded()).as("verification key of %s",
                        original.kid()).isEqualTo(original.requireMaterial().verificationKey().getEncoded());
            }
        }
        assertThat(loaded.keys()).filteredOn(k -> k.material().isEmpty()).extracting(ManagedKey::kid)
                .containsExactlyElementsOf(
                        ring.keys().stream().filter(k -> k.material().isEmpty()).map(ManagedKey::kid).toList());
    }

    /**
     * The secret parts of a key: its encoding as stored (PKCS#8 or the HMAC secret) and, for key pairs, the private
     * numbers themselves, which must not appear in any other wrapping either.
     */
    private static Map<String, byte[]> secretParts(ManagedKey key) {
        Key secret = key.requireMaterial().signingKey();
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put(key.algorithm().symmetric() ? "HMAC secret" : "PKCS#8 private key", secret.getEncoded());
        if (secret instanceof ECPrivateKey ec) {
            parts.put("EC private scalar", unsigned(ec.getS()));
        } else if (secret instanceof RSAPrivateCrtKey rsa) {
            parts.put("RSA private exponent", unsigned(rsa.getPrivateExponent()));
            parts.put("RSA prime p", unsigned(rsa.getPrimeP()));
            parts.put("RSA prime q", unsigned(rsa.getPrimeQ()));
        } else if (secret instanceof EdECPrivateKey ed) {
            ed.getBytes().ifPresent(bytes -> parts.put("Ed25519 private key", bytes));
        }
        return parts;
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    /** One form a secret could take in a column, a dump or a message, named for failure messages. */
    private record Needle(String form, String text) {
    }

    /**
     * The forms in which {@code secret} could sit in a column or a dump, as ISO-8859-1 strings: raw, hex in either
     * case, and standard and URL-safe base64 at each of the three alignments it could have inside a longer value.
     */
    private static List<Needle> encodings(byte[] secret) {
        List<Needle> needles = new ArrayList<>();
        needles.add(new Needle("raw bytes", new String(secret, StandardCharsets.ISO_8859_1)));
        String hex = HexFormat.of().formatHex(secret);
        needles.add(new Needle("lower-case hex", hex));
        needles.add(new Needle("upper-case hex", hex.toUpperCase()));
        for (int skip = 0; skip < 3; skip++) {
            int length = (secret.length - skip) / 3 * 3;
            byte[] aligned = Arrays.copyOfRange(secret, skip, skip + length);
            needles.add(new Needle("base64 (alignment " + skip + ")",
                    Base64.getEncoder().withoutPadding().encodeToString(aligned)));
            needles.add(new Needle("base64url (alignment " + skip + ")",
                    Base64.getUrlEncoder().withoutPadding().encodeToString(aligned)));
        }
        return needles;
    }

    /** The form of the first needle found in {@code haystack}; never the needle itself, which is secret. */
    private static Optional<String> findAny(byte[] haystack, List<Needle> needles) {
        String text = new String(haystack, StandardCharsets.ISO_8859_1);
        return needles.stream().filter(n -> text.contains(n.text())).map(Needle::form).findFirst();
    }

    /** Asserts that no message in the cause chain holds secret bytes, KEK bytes or {@code wrapped}. */
    private static void assertNoKeyBytesIn(Throwable thrown, byte[] wrapped) {
        List<Needle> needles = new ArrayList<>();
        if (wrapped.length > 0) {
            needles.addAll(encodings(wrapped));
        }
        needles.addAll(encodings(KEK1_BYTES));
        needles.addAll(encodings(KEK2_BYTES));
        for (ManagedKey key : keysWithMaterial()) {
            secretParts(key).values().forEach(part -> needles.addAll(encodings(part)));
        }
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            assertThat(findAny(message.getBytes(StandardCharsets.ISO_8859_1), needles))
                    .as("key bytes in the message of %s: %s", t.getClass().getSimpleName(), message).isEmpty();
        }
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    // ---------------------------------------------------------------- SQL

    /** Every bytea, text and varchar cell of every table of the schema, named table.column#row. */
    private Map<String, byte[]> everyTextAndBinaryCell() throws SQLException {
        Map<String, byte[]> cells = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            Map<String, List<String>> columns = new LinkedHashMap<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT table_name, column_name FROM "
                            + "information_schema.columns WHERE table_schema = 'public' AND data_type IN "
                            + "('bytea', 'text', 'character varying', 'ARRAY') ORDER BY table_name, ordinal_position")) {
                while (rows.next()) {
                    columns.computeIfAbsent(rows.getString(1), t -> new ArrayList<>()).add(rows.getString(2));
                }
            }
            assertThat(columns).as("scanned tables").containsKey("keyring_key");
            assertThat(columns.get("keyring_key")).as("scanned columns of keyring_key")
                    .contains("kid", "public_key", "wrapped_material", "kek_id", "max_issued_lifetime");
            for (Map.Entry<String, List<String>> table : columns.entrySet()) {
                for (String column : table.getValue()) {
                    readColumn(connection, table.getKey(), column, cells);
                }
            }
        }
        return cells;
    }

    private static void readColumn(Connection connection, String table, String column, Map<String, byte[]> cells)
            throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT \"" + column + "\" FROM \"" + table + "\"")) {
            boolean binary = rows.getMetaData().getColumnType(1) == Types.BINARY;
            for (int row = 0; rows.next(); row++) {
                byte[] value = binary ? rows.getBytes(1) : bytesOf(rows.getString(1));
                if (value != null) {
                    cells.put(table + "." + column + "#" + row, value);
                }
            }
        }
    }

    private static byte[] bytesOf(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    /** Every row of the ring and key tables as text, in a stable order. */
    private List<String> everyRow() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            for (String sql : List.of("SELECT * FROM keyring_ring ORDER BY id", "SELECT * FROM keyring_key ORDER BY kid")) {
                try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
                    ResultSetMetaData meta = result.getMetaData();
                    while (result.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            row.append(meta.getColumnName(i)).append('=').append(result.getString(i)).append(' ');
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        assertThat(rows).as("rows of a saved ring").hasSize(1 + ring.keys().size());
        return rows;
    }

    private long storedVersion() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT version FROM keyring_ring WHERE id = 1")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private Map<String, String> kekIdsByKid() throws SQLException {
        Map<String, String> ids = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT kid, kek_id FROM keyring_key ORDER BY position")) {
            while (rows.next()) {
                ids.put(rows.getString(1), rows.getString(2));
            }
        }
        assertThat(ids.keySet()).containsExactlyElementsOf(ring.keys().stream().map(ManagedKey::kid).toList());
        return ids;
    }

    private Map<String, String> wrappedHexByKid() throws SQLException {
        Map<String, String> wrapped = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT kid, wrapped_material FROM keyring_key WHERE wrapped_material IS NOT NULL")) {
            while (rows.next()) {
                wrapped.put(rows.getString(1), HexFormat.of().formatHex(rows.getBytes(2)));
            }
        }
        assertThat(wrapped).hasSize(keysWithMaterial().size());
        return wrapped;
    }

    private byte[] wrappedMaterialOf(String kid) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection
                        .prepareStatement("SELECT wrapped_material FROM keyring_key WHERE kid = ?")) {
            select.setString(1, kid);
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).as("row of %s", kid).isTrue();
                return rows.getBytes(1);
            }
        }
    }

    private void execute(String sql, String... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            assertThat(statement.executeUpdate()).as(sql).isEqualTo(1);
        }
    }

    private String currentDatabase() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_database()")) {
            rows.next();
            return rows.getString(1);
        }
    }

    // ---------------------------------------------------------------- pg_dump

    /** The directory of the server binaries, chosen as {@link PostgresServer} chooses it. */
    private static Path pgBinaries() throws IOException {
        String override = System.getenv("KEYRING_TEST_PG_BIN");
        if (override != null) {
            return Path.of(override);
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> versionOf(b.getParent()))).orElseThrow();
        }
    }

    private static int versionOf(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * A plain-text dump of {@code database}. It connects over TCP as the server's only user, so it runs the same as
     * root or not; root needs no {@code runuser} here since pg_dump, unlike the server, does not refuse root.
     */
    private static byte[] pgDump(Path pgDump, String database) throws IOException, InterruptedException {
        PostgresServer server = PostgresServer.shared();
        Path out = Files.createTempFile("keyring-dump-", ".sql");
        try {
            Process process = new ProcessBuilder(pgDump.toString(), "-h", "127.0.0.1", "-p",
                    String.valueOf(server.port()), "-U", server.user(), "--no-password", "-f", out.toString(), database)
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("pg_dump finished").isTrue();
            assertThat(process.exitValue()).as("pg_dump exit status; output:%n%s", output).isZero();
            byte[] dump = Files.readAllBytes(out);
            assertThat(new String(dump, StandardCharsets.UTF_8)).as("the dump holds the key table")
                    .contains("keyring_key");
            return dump;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
