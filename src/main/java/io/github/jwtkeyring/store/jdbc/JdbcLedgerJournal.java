package io.github.jwtkeyring.store.jdbc;

import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.revocation.GroupCommit;
import io.github.jwtkeyring.revocation.LedgerChanges;
import io.github.jwtkeyring.revocation.LedgerCodec;
import io.github.jwtkeyring.revocation.LedgerConflictException;
import io.github.jwtkeyring.revocation.LedgerEvent;
import io.github.jwtkeyring.revocation.LedgerEvent.FamilyRecorded;
import io.github.jwtkeyring.revocation.LedgerEvent.RefreshTokenRecorded;
import io.github.jwtkeyring.revocation.LedgerEvent.SubjectRevoked;
import io.github.jwtkeyring.revocation.LedgerEvent.TokenRevoked;
import io.github.jwtkeyring.revocation.LedgerFeed;
import io.github.jwtkeyring.revocation.LedgerJournal;
import io.github.jwtkeyring.revocation.RefreshFamily;

/**
 * The token ledger in PostgreSQL, shared by every node: one table per kind of entry.
 * <p>
 * Changes are committed in groups, as the file journal's: logins, logouts and revocations are queued, and the first
 * caller to wait writes every change queued so far in one transaction (its statements sent as JDBC batches, one per
 * kind of entry), so that concurrent requests share one commit. A refresh-family rotation is written at once, with what
 * is queued, because another node may have rotated the family first.
 * <p>
 * Appends are serialized across the cluster by a transaction-scoped advisory lock, so the change feed
 * ({@code keyring_ledger_change}) is in commit order; each append adds its events to the feed and sends a
 * {@code NOTIFY}, and other nodes {@link #pull()} what they have not seen. Rotating a refresh family is a conditional
 * update on its generation: if another node rotated it first, the append fails with {@link LedgerConflictException}
 * and the ledger decides again on the newer state (which is how a token used on two nodes at once is caught).
 */
public final class JdbcLedgerJournal implements LedgerJournal {

    /** The notification payload of a ledger change. */
    public static final String LEDGER_CHANGED = "ledger";

    private static final long APPEND_LOCK = 0x4A574B524C4447L;
    private static final String FEED_RETENTION = "1 hour";

    private final DataSource dataSource;
    private final String description;
    /** Logins, revocations and logouts arriving together share one transaction. */
    private final GroupCommit commit;
    private long lastSeq;

    public JdbcLedgerJournal(DataSource dataSource, String description) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.description = description;
        this.commit = new GroupCommit(description, this::transaction);
    }

    /** Shared by every node: other nodes' changes are pulled from the change feed table. */
    @Override
    public Optional<LedgerFeed> feed() {
        return Optional.of(this::pull);
    }

    @Override
    public synchronized List<LedgerEvent> replay() {
        try {
            return Jdbc.inTransaction(dataSource, true, connection -> {
                // the state read includes every change up to pruned_through even when the feed kept none of them
                long seq = single(connection, "SELECT GREATEST(COALESCE(MAX(seq), 0), (SELECT pruned_through FROM "
                        + "keyring_ledger_feed WHERE id = 1)) FROM keyring_ledger_change");
                List<LedgerEvent> events = state(connection);
                lastSeq = seq;
                return events;
            });
        } catch (SQLException e) {
            throw unavailable("read", e);
        }
    }

    private static List<LedgerEvent> state(Connection connection) throws SQLException {
        List<LedgerEvent> events = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT jti, keep_until FROM keyring_revoked_token")) {
                while (rows.next()) {
                    events.add(new TokenRevoked(rows.getString(1), Jdbc.instant(rows, 2)));
                }
            }
            try (ResultSet rows = statement.executeQuery(
                    "SELECT subject, cutoff, keep_until FROM keyring_revoked_subject")) {
                while (rows.next()) {
                    events.add(new SubjectRevoked(rows.getString(1), Jdbc.instant(rows, 2), Jdbc.instant(rows, 3)));
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT id, subject, groups, created, generation, "
                    + "expires_at, revoked_at, keep_until FROM keyring_refresh_family")) {
                while (rows.next()) {
                    String[] groups = (String[]) rows.getArray(3).getArray();
                    events.add(new FamilyRecorded(new RefreshFamily(rows.getString(1), rows.getString(2),
                            new HashSet<>(Arrays.asList(groups)), Jdbc.instant(rows, 4), rows.getInt(5), Jdbc.instant(rows, 6),
                            Jdbc.instant(rows, 7), Jdbc.instant(rows, 8))));
                }
            }
            try (ResultSet rows = statement.executeQuery(
                    "SELECT hash, family_id, generation, keep_until FROM keyring_refresh_token")) {
                while (rows.next()) {
                    events.add(new RefreshTokenRecorded(rows.getString(1), rows.getString(2), rows.getInt(3),
                            Jdbc.instant(rows, 4)));
                }
            }
        }
        return events;
    }

    /** Records {@code events} now, in one transaction with everything queued before them. */
    @Override
    public void append(List<LedgerEvent> events) {
        commit.requireAccepting();
        commit.exclusively(queued -> {
            List<LedgerEvent> all = new ArrayList<>(queued);
            all.addAll(events);
            try {
                transaction(all);
            } catch (LedgerConflictException e) {
                // only these events can conflict (the queued ones were decided on this node's newest state and
                // change nothing another node can have changed): the queued ones are written without them
                if (!queued.isEmpty()) {
                    transaction(queued);
                }
                throw e;
            }
        });
    }

    /**
     * Queues {@code events} for the next group transaction, or, if they rotate a refresh family, records them at once
     * (with what is queued): another node may have rotated the family first, which the ledger must learn before it
     * answers, to decide again.
     */
    @Override
    public long write(List<LedgerEvent> events) {
        if (events.stream().anyMatch(JdbcLedgerJournal::mayConflict)) {
            append(events);
            return 0;
        }
        return commit.queue(events);
    }

    @Override
    public void awaitDurable(long ticket) {
        commit.await(ticket);
    }

    @Override
    public boolean needsRecovery() {
        return commit.needsRecovery();
    }

    @Override
    public void recovered() {
        commit.recovered();
    }

    private static boolean mayConflict(LedgerEvent event) {
        return event instanceof FamilyRecorded e && !e.family().revoked() && e.family().generation() > 0;
    }

    /**
     * Writes {@code events} in one transaction under the cluster-wide append lock, with one entry in the change feed
     * and one {@code NOTIFY}. The statements go to the database in batches, one per kind of entry.
     */
    private void transaction(List<LedgerEvent> events) {
        try {
            Jdbc.inTransaction(dataSource, false, connection -> {
                lockAppends(connection);
                List<LedgerEvent> ordered = new ArrayList<>(events);
                ordered.sort(Comparator.comparingInt(JdbcLedgerJournal::rank));
                int from = 0;
                while (from < ordered.size()) {
                    int to = from;
                    while (to < ordered.size() && rank(ordered.get(to)) == rank(ordered.get(from))) {
                        to++;
                    }
                    batch(connection, ordered.subList(from, to));
                    from = to;
                }
                update(connection, "INSERT INTO keyring_ledger_change (payload) VALUES (?)", LedgerCodec.encode(events));
                Jdbc.notify(connection, LEDGER_CHANGED);
                return null;
            });
        } catch (SQLException e) {
            throw unavailable("written", e);
        }
    }

    /**
     * The order of the kinds of entries in a transaction. Entries of different kinds touch different rows or commute
     * (revocations keep the later cutoff, the first family revocation wins, refresh tokens are only added), except a
     * family's creation, its rotation and its revocation, which keep that order; within a kind the order is kept.
     */
    private static int rank(LedgerEvent event) {
        if (event instanceof TokenRevoked) {
            return 0;
        } else if (event instanceof SubjectRevoked) {
            return 1;
        } else if (event instanceof FamilyRecorded e) {
            return e.family().revoked() ? 4 : e.family().generation() == 0 ? 2 : 3;
        }
        return 5;
    }

    /** Takes the cluster-wide append lock, held until the transaction ends; a SELECT, so not through update(). */
    private static void lockAppends(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, APPEND_LOCK);
            lock.executeQuery().close();
        }
    }

    /** Writes entries of one kind as one JDBC batch. */
    private static void batch(Connection connection, List<LedgerEvent> events) throws SQLException {
        LedgerEvent first = events.get(0);
        String sql;
        if (first instanceof TokenRevoked) {
            sql = "INSERT INTO keyring_revoked_token (jti, keep_until) VALUES (?, ?) ON CONFLICT (jti) "
                    + "DO UPDATE SET keep_until = GREATEST(keyring_revoked_token.keep_until, EXCLUDED.keep_until)";
        } else if (first instanceof SubjectRevoked) {
            sql = "INSERT INTO keyring_revoked_subject (subject, cutoff, keep_until) VALUES (?, ?, ?) "
                    + "ON CONFLICT (subject) DO UPDATE SET cutoff = EXCLUDED.cutoff, keep_until = EXCLUDED.keep_until "
                    + "WHERE keyring_revoked_subject.cutoff < EXCLUDED.cutoff";
        } else if (first instanceof FamilyRecorded f && f.family().revoked()) {
            // the first revocation wins; a revoked family never comes back
            sql = "INSERT INTO keyring_refresh_family (id, subject, groups, created, generation, expires_at, "
                    + "revoked_at, keep_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE "
                    + "SET revoked_at = EXCLUDED.revoked_at, keep_until = EXCLUDED.keep_until "
                    + "WHERE keyring_refresh_family.revoked_at IS NULL";
        } else if (first instanceof FamilyRecorded f && f.family().generation() == 0) {
            sql = "INSERT INTO keyring_refresh_family (id, subject, groups, created, generation, expires_at, "
                    + "keep_until) VALUES (?, ?, ?, ?, 0, ?, ?)";
        } else if (first instanceof FamilyRecorded) {
            sql = "UPDATE keyring_refresh_family SET generation = ?, expires_at = ?, keep_until = ? "
                    + "WHERE id = ? AND generation = ? AND revoked_at IS NULL";
        } else {
            sql = "INSERT INTO keyring_refresh_token (hash, family_id, generation, keep_until) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (hash) DO NOTHING";
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (LedgerEvent event : events) {
                Object[] parameters = parameters(connection, event);
                for (int i = 0; i < parameters.length; i++) {
                    statement.setObject(i + 1, parameters[i]);
                }
                statement.addBatch();
            }
            int[] counts = statement.executeBatch();
            if (mayConflict(first)) {
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] == 0) {
                        RefreshFamily f = ((FamilyRecorded) events.get(i)).family();
                        throw new LedgerConflictException("Refresh family '" + f.id() + "' was changed by another "
                                + "node before generation " + f.generation() + " could be recorded.");
                    }
                }
            }
        }
    }

    /** The statement parameters of one entry, in the order of its kind's SQL in {@link #batch}. */
    private static Object[] parameters(Connection connection, LedgerEvent event) throws SQLException {
        if (event instanceof TokenRevoked e) {
            return new Object[] { e.jti(), Jdbc.timestamp(e.keepUntil()) };
        } else if (event instanceof SubjectRevoked e) {
            return new Object[] { e.subject(), Jdbc.timestamp(e.cutoff()), Jdbc.timestamp(e.keepUntil()) };
        } else if (event instanceof RefreshTokenRecorded e) {
            return new Object[] { e.hash(), e.familyId(), e.generation(), Jdbc.timestamp(e.keepUntil()) };
        }
        RefreshFamily f = ((FamilyRecorded) event).family();
        if (f.revoked()) {
            return new Object[] { f.id(), f.subject(), groups(connection, f), Jdbc.timestamp(f.created()), f.generation(),
                    Jdbc.timestamp(f.expiresAt()), Jdbc.timestamp(f.revokedAt()), Jdbc.timestamp(f.keepUntil()) };
        } else if (f.generation() == 0) {
            return new Object[] { f.id(), f.subject(), groups(connection, f), Jdbc.timestamp(f.created()),
                    Jdbc.timestamp(f.expiresAt()), Jdbc.timestamp(f.keepUntil()) };
        }
        return new Object[] { f.generation(), Jdbc.timestamp(f.expiresAt()), Jdbc.timestamp(f.keepUntil()), f.id(),
                f.generation() - 1 };
    }

    private static Array groups(Connection connection, RefreshFamily f) throws SQLException {
        return connection.createArrayOf("text", f.groups().toArray());
    }

    private static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }

    /** What other nodes recorded since the last replay or pull. */
    public synchronized LedgerChanges pull() {
        try {
            LedgerChanges changes = Jdbc.inTransaction(dataSource, true, connection -> {
                // one snapshot: a prune between reading pruned_through and the feed cannot hide changes
                long prunedThrough = single(connection,
                        "SELECT pruned_through FROM keyring_ledger_feed WHERE id = 1");
                if (lastSeq < prunedThrough) {
                    return null;
                }
                return new LedgerChanges(feedAfterLastSeq(connection), false);
            });
            return changes != null ? changes : new LedgerChanges(replay(), true);
        } catch (SQLException e) {
            throw unavailable("read", e);
        }
    }

    private List<LedgerEvent> feedAfterLastSeq(Connection connection) throws SQLException {
        List<LedgerEvent> events = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT seq, payload FROM keyring_ledger_change WHERE seq > ? ORDER BY seq")) {
            select.setLong(1, lastSeq);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    try {
                        events.addAll(LedgerCodec.decode(rows.getBytes(2)));
                    } catch (IOException e) {
                        throw new StoreException("Change " + rows.getLong(1) + " of the token ledger in "
                                + description + " cannot be decoded: " + e.getMessage(), e);
                    }
                    lastSeq = rows.getLong(1);
                }
            }
        }
        return events;
    }

    @Override
    public void prune(Instant now) {
        OffsetDateTime at = Jdbc.timestamp(now);
        try {
            Jdbc.inTransaction(dataSource, false, connection -> {
                update(connection, "DELETE FROM keyring_revoked_token WHERE keep_until < ?", at);
                update(connection, "DELETE FROM keyring_revoked_subject WHERE keep_until < ?", at);
                update(connection, "DELETE FROM keyring_refresh_family WHERE keep_until < ?", at);
                update(connection, "DELETE FROM keyring_refresh_token t WHERE t.keep_until < ? OR NOT EXISTS "
                        + "(SELECT 1 FROM keyring_refresh_family f WHERE f.id = t.family_id)", at);
                update(connection, "UPDATE keyring_ledger_feed SET pruned_through = GREATEST(pruned_through, "
                        + "(SELECT COALESCE(MAX(seq), 0) FROM keyring_ledger_change WHERE created_at < now() - "
                        + "interval '" + FEED_RETENTION + "')) WHERE id = 1");
                update(connection, "DELETE FROM keyring_ledger_change WHERE seq <= "
                        + "(SELECT pruned_through FROM keyring_ledger_feed WHERE id = 1)");
                return null;
            });
        } catch (SQLException e) {
            throw unavailable("pruned", e);
        }
    }

    /** A shared journal holds state, not history: there is nothing to compact. */
    @Override
    public void rewrite(List<LedgerEvent> snapshot) {
    }

    private static long single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private StoreException unavailable(String what, SQLException e) {
        return new StoreException("The token ledger in " + description + " could not be " + what + ": "
                + e.getMessage(), e);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        // connections come from the pool and go back after each call
    }
}
