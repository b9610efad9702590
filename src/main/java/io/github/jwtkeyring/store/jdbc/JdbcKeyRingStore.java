package io.github.jwtkeyring.store.jdbc;

import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.keys.KeyCustody;
import io.github.jwtkeyring.keys.KeyMaterial;
import io.github.jwtkeyring.keys.KeyMetadata;
import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.store.KeyEncodings;
import io.github.jwtkeyring.store.KeyRingStore;

/**
 * The ring in PostgreSQL, shared by every node of a cluster: a version row and one row per key, key material encrypted
 * with AES-256-GCM under a key-encryption key the database never sees (see {@link KeyEncryptionKey}).
 * <p>
 * Every change runs in one transaction that first locks the version row ({@code SELECT ... FOR UPDATE}), starts from
 * the newest stored ring if another node has changed it, writes all keys and the next version, and sends a
 * {@code NOTIFY} on {@value #CHANNEL} that other nodes receive on commit. A crash at any point leaves the old ring or
 * the new one. Called from worker threads only.
 */
public final class JdbcKeyRingStore implements KeyRingStore {

    /** The {@code LISTEN}/{@code NOTIFY} channel of every change of the ring or the token ledger. */
    public static final String CHANNEL = "keyring_changes";
    /** The notification payload of a ring change. */
    public static final String RING_CHANGED = "ring";

    private static final Logger LOG = Logger.getLogger(JdbcKeyRingStore.class);
    private static final String KEY_COLUMNS = "kid, algorithm, state, created, activates, retires, destroy_after, "
            + "revoked, max_issued_lifetime, public_key, wrapped_material, kek_id, custody";

    private final DataSource dataSource;
    private final KeyEncryptionKeys keks;
    private final String description;
    private final KeyCustody custody;

    /** A store that holds every key's secret part itself, encrypted. */
    public JdbcKeyRingStore(DataSource dataSource, KeyEncryptionKeys keks, String description) {
        this(dataSource, keks, description, null);
    }

    /**
     * @param dataSource the PostgreSQL datasource, with the schema migrated
     * @param keks the key-encryption keys
     * @param description where the database is, for logs (no credentials)
     * @param custody where keys recorded as held in custody are found (a PKCS#11 token every node shares), or
     *        {@code null}
     */
    public JdbcKeyRingStore(DataSource dataSource, KeyEncryptionKeys keks, String description, KeyCustody custody) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.keks = Objects.requireNonNull(keks, "keks");
        this.description = description;
        this.custody = custody;
    }

    @Override
    public Optional<KeyRing> load() {
        try {
            return Jdbc.inTransaction(dataSource, true, connection -> {
                long version = version(connection, false);
                return version == 0 ? Optional.empty() : Optional.of(ring(connection, version));
            });
        } catch (SQLException e) {
            throw unavailable("read", e);
        }
    }

    @Override
    public void save(KeyRing ring) {
        update(null, ignored -> ring);
    }

    @Override
    public KeyRing update(KeyRing known, Function<Optional<KeyRing>, KeyRing> change) {
        try {
            return Jdbc.inTransaction(dataSource, false, connection -> {
                long version = version(connection, true);
                Optional<KeyRing> base = known != null && known.version() == version ? Optional.of(known)
                        : version == 0 ? Optional.empty() : Optional.of(ring(connection, version));
                KeyRing after = change.apply(base);
                if (base.isEmpty() || after != base.get()) {
                    write(connection, after, version);
                    // PostgreSQL keeps microseconds: hold the ring as stored, the one every other node loads
                    return ring(connection, after.version());
                }
                return after;
            });
        } catch (SQLException e) {
            throw unavailable("written", e);
        }
    }

    private static long version(Connection connection, boolean lock) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT version FROM keyring_ring WHERE id = 1"
                        + (lock ? " FOR UPDATE" : ""))) {
            if (!rows.next()) {
                throw new StoreException("The table keyring_ring has no row: the schema is damaged.");
            }
            return rows.getLong(1);
        }
    }

    private KeyRing ring(Connection connection, long version) throws SQLException {
        List<ManagedKey> keys = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT " + KEY_COLUMNS + " FROM keyring_key ORDER BY position")) {
            while (rows.next()) {
                keys.add(key(rows));
            }
        }
        return new KeyRing(version, keys);
    }

    private ManagedKey key(ResultSet row) throws SQLException {
        String kid = row.getString("kid");
        SigningAlgorithm algorithm = SigningAlgorithm.fromJoseName(row.getString("algorithm"));
        KeyMetadata metadata = new KeyMetadata(kid, algorithm, KeyState.valueOf(row.getString("state")),
                Jdbc.instant(row, "created"), Jdbc.instant(row, "activates"), Jdbc.instant(row, "retires"),
                Jdbc.instant(row, "destroy_after"), Jdbc.instant(row, "revoked"),
                Duration.parse(row.getString("max_issued_lifetime")));
        String custodyName = row.getString("custody");
        if (custodyName != null && metadata.state().holdsMaterial()) {
            return new ManagedKey(metadata,
                    KeyEncodings.inCustody(custody, custodyName, metadata, row.getBytes("public_key")));
        }
        byte[] wrapped = row.getBytes("wrapped_material");
        if (wrapped == null) {
            return new ManagedKey(metadata, null);
        }
        byte[] secret = keks.require(row.getString("kek_id"), kid).unwrap(kid, algorithm, wrapped);
        try {
            return new ManagedKey(metadata, KeyEncodings.material(algorithm, secret, row.getBytes("public_key")));
        } catch (GeneralSecurityException e) {
            throw new StoreException("The material of key '" + kid + "' decrypted but is not a valid " + algorithm
                    + " key.", e);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private void write(Connection connection, KeyRing ring, long storedVersion) throws SQLException {
        if (ring.version() <= storedVersion) {
            throw new StoreException("Ring version " + ring.version() + " is not newer than the stored version "
                    + storedVersion + "; nothing was written.");
        }
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM keyring_key");
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO keyring_key (position, "
                + KEY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < ring.keys().size(); i++) {
                bind(insert, i, ring.keys().get(i));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE keyring_ring SET version = ?, updated_at = now() WHERE id = 1")) {
            update.setLong(1, ring.version());
            update.executeUpdate();
        }
        Jdbc.notify(connection, RING_CHANGED);
    }

    private void bind(PreparedStatement insert, int position, ManagedKey key) throws SQLException {
        KeyMetadata m = key.metadata();
        insert.setInt(1, position);
        insert.setString(2, m.kid());
        insert.setString(3, m.algorithm().joseName());
        insert.setString(4, m.state().name());
        insert.setObject(5, Jdbc.timestamp(m.created()));
        insert.setObject(6, Jdbc.timestamp(m.activates()));
        insert.setObject(7, Jdbc.timestamp(m.retires()));
        insert.setObject(8, Jdbc.timestamp(m.destroyAfter()));
        insert.setObject(9, Jdbc.timestamp(m.revoked()));
        insert.setString(10, m.maxIssuedLifetime().toString());
        Optional<KeyMaterial> material = key.material();
        insert.setBytes(11, material.map(KeyEncodings::publicBytes).orElse(null));
        String custodyName = material.map(KeyEncodings::custodyName).orElse(null);
        insert.setString(14, custodyName);
        if (material.isPresent() && custodyName == null) {
            byte[] secret = KeyEncodings.secretBytes(key, material.get());
            try {
                insert.setBytes(12, keks.current().wrap(m.kid(), m.algorithm(), secret));
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
            insert.setString(13, keks.current().id());
        } else {
            insert.setBytes(12, null);
            insert.setString(13, null);
        }
    }

    /** How many keys the last re-wrap left under an earlier KEK because this node could not unwrap them. */
    private volatile int stuck;

    /** How many keys the last {@link #rewrapUnderCurrentKek()} could not re-wrap (a KEK this node does not hold). */
    public int stuckUnderOldKek() {
        return stuck;
    }

    /**
     * Re-wraps every key encrypted under a previous KEK with the current one, one key per transaction; the ring and
     * its version stay as they are. Safe to run on every node at once.
     *
     * @return how many keys this call re-wrapped
     */
    public int rewrapUnderCurrentKek() {
        String current = keks.current().id();
        int rewrapped = 0;
        try (Connection connection = dataSource.getConnection()) {
            List<String[]> stale = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT kid, algorithm, kek_id FROM "
                    + "keyring_key WHERE kek_id IS NOT NULL AND kek_id <> ?")) {
                select.setString(1, current);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        stale.add(new String[] { rows.getString(1), rows.getString(2), rows.getString(3) });
                    }
                }
            }
            int failed = 0;
            for (String[] key : stale) {
                try {
                    rewrapped += rewrap(connection, key[0], SigningAlgorithm.fromJoseName(key[1]), key[2]);
                } catch (KeyringException e) {
                    // a KEK this node does not hold: other keys still move, and health reports the rest as stuck
                    failed++;
                    LOG.warnf("Key '%s' could not be re-wrapped under the key-encryption key %s: %s", key[0], current,
                            e.getMessage());
                }
            }
            stuck = failed;
        } catch (SQLException e) {
            throw unavailable("re-wrapped", e);
        }
        if (rewrapped > 0) {
            LOG.infof("Re-wrapped %d key(s) under the key-encryption key %s", rewrapped, current);
        }
        return rewrapped;
    }

    private int rewrap(Connection connection, String kid, SigningAlgorithm algorithm, String oldKek)
            throws SQLException {
        byte[] wrapped;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT wrapped_material FROM keyring_key WHERE kid = ? AND kek_id = ?")) {
            select.setString(1, kid);
            select.setString(2, oldKek);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return 0;
                }
                wrapped = rows.getBytes(1);
            }
        }
        byte[] secret = keks.require(oldKek, kid).unwrap(kid, algorithm, wrapped);
        try (PreparedStatement update = connection.prepareStatement("UPDATE keyring_key SET wrapped_material = ?, "
                + "kek_id = ? WHERE kid = ? AND kek_id = ?")) {
            update.setBytes(1, keks.current().wrap(kid, algorithm, secret));
            update.setString(2, keks.current().id());
            update.setString(3, kid);
            update.setString(4, oldKek);
            return update.executeUpdate();
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private StoreException unavailable(String what, SQLException e) {
        return new StoreException("The key ring in " + description + " could not be " + what + ": "
                + e.getMessage(), e);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return "JdbcKeyRingStore[" + description + ", " + keks + "]";
    }
}
