package io.github.jwtkeyring.store.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.StoreException;

/**
 * JWT Keyring's own tables, created and upgraded by the module itself: each migration runs once, in order, in one
 * transaction under a PostgreSQL advisory lock (so nodes starting together are safe), and is recorded with a checksum
 * in {@value #HISTORY}. The module has no Flyway dependency and never touches an application's own Flyway history or
 * migrations; the scripts are Java text, so a native executable needs no resource registration.
 * <p>
 * A database whose key ring tables an earlier version created with Flyway is adopted: version 1 is recorded without
 * running it again.
 */
public final class SchemaMigrations {

    /** The table that records which migrations ran. */
    public static final String HISTORY = "keyring_schema_history";

    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class);
    private static final long LOCK = 0x4A574B52534348L;

    /** A migration: its version, a name, and its SQL. */
    record Migration(int version, String name, String sql) {
    }

    static final List<Migration> MIGRATIONS = List.of(new Migration(1, "key ring and token ledger", """
            -- JWT Keyring cluster schema, version 1: the key ring and the token ledger.

            -- One row: the version of the ring. Every change of the ring locks this row (SELECT ... FOR UPDATE), so that
            -- exactly one node applies each transition, and raises the version by one.
            CREATE TABLE keyring_ring (
                id          SMALLINT PRIMARY KEY CHECK (id = 1),
                version     BIGINT NOT NULL,
                updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
            );
            INSERT INTO keyring_ring (id, version) VALUES (1, 0);

            -- The keys of the ring. Secret material only ever appears encrypted with AES-256-GCM under a key-encryption key
            -- that the database never sees (kek_id names which one); public keys are public.
            CREATE TABLE keyring_key (
                kid                  TEXT PRIMARY KEY,
                position             INTEGER NOT NULL,
                algorithm            TEXT NOT NULL,
                state                TEXT NOT NULL,
                created              TIMESTAMPTZ NOT NULL,
                activates            TIMESTAMPTZ NOT NULL,
                retires              TIMESTAMPTZ NOT NULL,
                destroy_after        TIMESTAMPTZ,
                revoked              TIMESTAMPTZ,
                max_issued_lifetime  TEXT NOT NULL,
                public_key           BYTEA,
                wrapped_material     BYTEA,
                kek_id               TEXT,
                CHECK ((wrapped_material IS NULL) = (kek_id IS NULL))
            );

            -- Revoked access tokens, by jti, until they expire.
            CREATE TABLE keyring_revoked_token (
                jti         TEXT PRIMARY KEY,
                keep_until  TIMESTAMPTZ NOT NULL
            );

            -- Subjects whose tokens issued until cutoff are revoked.
            CREATE TABLE keyring_revoked_subject (
                subject     TEXT PRIMARY KEY,
                cutoff      TIMESTAMPTZ NOT NULL,
                keep_until  TIMESTAMPTZ NOT NULL
            );

            -- Refresh-token families (one per login) and the hashes of their tokens; never a token itself.
            CREATE TABLE keyring_refresh_family (
                id          TEXT PRIMARY KEY,
                subject     TEXT NOT NULL,
                groups      TEXT[] NOT NULL,
                created     TIMESTAMPTZ NOT NULL,
                generation  INTEGER NOT NULL,
                expires_at  TIMESTAMPTZ NOT NULL,
                revoked_at  TIMESTAMPTZ,
                keep_until  TIMESTAMPTZ NOT NULL
            );

            CREATE TABLE keyring_refresh_token (
                hash        TEXT PRIMARY KEY,
                family_id   TEXT NOT NULL,
                generation  INTEGER NOT NULL,
                keep_until  TIMESTAMPTZ NOT NULL
            );
            CREATE INDEX keyring_refresh_token_family ON keyring_refresh_token (family_id);

            -- The feed other nodes follow: every ledger change, in commit order (appends are serialized by an advisory lock),
            -- kept for a while after it was made. A node that has not read up to pruned_through reloads the whole ledger.
            CREATE TABLE keyring_ledger_change (
                seq         BIGSERIAL PRIMARY KEY,
                payload     BYTEA NOT NULL,
                created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
            );
            CREATE TABLE keyring_ledger_feed (
                id              SMALLINT PRIMARY KEY CHECK (id = 1),
                pruned_through  BIGINT NOT NULL
            );
            INSERT INTO keyring_ledger_feed (id, pruned_through) VALUES (1, 0);
            """), new Migration(2, "key custody", """
            -- JWT Keyring cluster schema, version 2: keys whose secret part a custody holds (a PKCS#11 token shared by
            -- every node). Such a key has no wrapped material; custody names where it is, and the token finds it by kid.
            ALTER TABLE keyring_key ADD COLUMN custody TEXT;
            ALTER TABLE keyring_key ADD CHECK (custody IS NULL OR wrapped_material IS NULL);
            """));

    private SchemaMigrations() {
    }

    /**
     * Brings the schema up to date.
     *
     * @param description where the database is, for messages (no credentials)
     * @throws StoreException if the database cannot be reached, or a recorded migration differs from this module's
     */
    public static void migrate(DataSource dataSource, String description) {
        try {
            Jdbc.inTransaction(dataSource, false, connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
                    statement.execute("CREATE TABLE IF NOT EXISTS " + HISTORY + " (version INTEGER PRIMARY KEY, "
                            + "name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
                }
                Map<Integer, String> applied = applied(connection);
                if (applied.isEmpty() && exists(connection, "keyring_ring")) {
                    record(connection, MIGRATIONS.get(0));
                    applied.put(1, checksum(MIGRATIONS.get(0)));
                    LOG.infof("Adopted the key ring schema of %s, created by an earlier version", description);
                }
                boolean changed = false;
                for (Migration migration : MIGRATIONS) {
                    changed |= apply(connection, migration, applied.get(migration.version()), description);
                }
                if (!changed) {
                    LOG.infof("The key ring schema of %s is up to date (version %d)", description,
                            MIGRATIONS.get(MIGRATIONS.size() - 1).version());
                }
                return null;
            });
        } catch (SQLException e) {
            throw new StoreException("The key ring schema in " + description + " could not be migrated: "
                    + e.getMessage(), e);
        }
    }

    /** Runs {@code migration} unless it ran before; returns whether it ran. */
    private static boolean apply(Connection connection, Migration migration, String recorded, String description)
            throws SQLException {
        if (recorded == null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(migration.sql());
            }
            record(connection, migration);
            LOG.infof("Migrated the key ring schema of %s to version %d (%s)", description, migration.version(),
                    migration.name());
            return true;
        }
        if (!recorded.equals(checksum(migration))) {
            throw new StoreException("The key ring schema in " + description + " records version "
                    + migration.version() + " with another checksum than this module's: the database was migrated "
                    + "by a different build of JWT Keyring. Nothing was changed.");
        }
        return false;
    }

    private static Map<Integer, String> applied(Connection connection) throws SQLException {
        Map<Integer, String> applied = new HashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT version, checksum FROM " + HISTORY)) {
            while (rows.next()) {
                applied.put(rows.getInt(1), rows.getString(2));
            }
        }
        return applied;
    }

    private static boolean exists(Connection connection, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }

    private static void record(Connection connection, Migration migration) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + HISTORY
                + " (version, name, checksum) VALUES (?, ?, ?)")) {
            insert.setInt(1, migration.version());
            insert.setString(2, migration.name());
            insert.setString(3, checksum(migration));
            insert.executeUpdate();
        }
    }

    static String checksum(Migration migration) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(migration.sql().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new KeyringException("SHA-256 is missing from this JDK.", e);
        }
    }
}
