package io.github.jwtkeyring.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.revocation.InvalidGrantException;
import io.github.jwtkeyring.revocation.LedgerConflictException;
import io.github.jwtkeyring.revocation.LedgerEvent;
import io.github.jwtkeyring.revocation.LedgerEvent.FamilyRecorded;
import io.github.jwtkeyring.revocation.LedgerEvent.RefreshTokenRecorded;
import io.github.jwtkeyring.revocation.LedgerEvent.TokenRevoked;
import io.github.jwtkeyring.revocation.LedgerSettings;
import io.github.jwtkeyring.revocation.RefreshFamily;
import io.github.jwtkeyring.testing.LedgerNode;
import io.github.jwtkeyring.testing.MutableClock;
import io.github.jwtkeyring.testing.PostgresServer;

/**
 * The token ledger shared by two nodes through PostgreSQL: each node is a {@link io.github.jwtkeyring.revocation.TokenLedger}
 * on its own
 * {@link JdbcLedgerJournal} over the same database, with the same clock. What one node records, the other takes in
 * with {@code sync()} (which the application runs on each NOTIFY and periodically), and a refresh token is exchanged
 * once across the cluster.
 */
class JdbcLedgerJournalTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Duration SKEW = Duration.ofSeconds(60);
    private static final Duration REFRESH_LIFETIME = Duration.ofHours(8);
    private static final Duration ACCESS_LIFETIME = Duration.ofMinutes(5);
    private static final LedgerSettings SETTINGS = new LedgerSettings(SKEW, REFRESH_LIFETIME, () -> ACCESS_LIFETIME);
    private static final List<String> LEDGER_TABLES = List.of("keyring_revoked_token", "keyring_revoked_subject",
            "keyring_refresh_family", "keyring_refresh_token");

    private final MutableClock clock = new MutableClock(T0);
    private final List<LedgerNode> opened = new ArrayList<>();
    private ExecutorService threads;
    private DataSource dataSource;
    private LedgerNode node1;
    private LedgerNode node2;

    @BeforeEach
    void twoNodes() {
        dataSource = PostgresServer.shared().migratedDatabase();
        node1 = node("node 1");
        node2 = node("node 2");
    }

    @AfterEach
    void close() {
        if (threads != null) {
            threads.shutdownNow();
        }
        opened.forEach(LedgerNode::close);
    }

    /** A node that has just started: a ledger on a journal of its own over the shared database, loaded. */
    private LedgerNode node(String name) {
        LedgerNode node = LedgerNode.on(new JdbcLedgerJournal(dataSource, name), clock, SETTINGS).load();
        opened.add(node);
        return node;
    }

    // ---------------------------------------------------------------- revocations reach the other node

    @Test
    void revokeToken_onNode1_isSeenByNode2AfterSync() {
        node1.revokeToken("jti-1", Optional.of(T0.plus(ACCESS_LIFETIME)));
        assertThat(node2.rejection("jti-1", "alice", T0, null)).as("before node 2 syncs").isEmpty();

        assertThat(node2.sync()).isEqualTo(1);

        assertThat(node2.rejection("jti-1", "alice", T0, null)).hasValueSatisfying(r -> assertThat(r).contains("jti-1"));
        assertThat(node2.rejection("jti-2", "alice", T0, null)).isEmpty();
    }

    @Test
    void revokeSubject_onNode1_isSeenByNode2AfterSync_forTokensIssuedUntilThen() {
        clock.advance(Duration.ofMinutes(1));
        Instant cutoff = clock.instant();
        node1.revokeSubject("alice");

        node2.sync();

        assertThat(node2.rejection("j1", "alice", cutoff.minus(ACCESS_LIFETIME), null)).isPresent();
        assertThat(node2.rejection("j2", "alice", cutoff, null)).isPresent();
        assertThat(node2.rejection("j3", "alice", cutoff.plusSeconds(1), null)).isEmpty();
        assertThat(node2.rejection("j4", "bob", cutoff, null)).isEmpty();
    }

    @Test
    void revokeSubject_onNode1_stopsNode2FromRefreshingAFamilyBegunBefore() {
        node1.startFamily("fam-1", "alice", Set.of("user"), "h0");
        node2.sync();
        clock.advance(Duration.ofMinutes(1));
        node1.revokeSubject("alice");

        assertThatThrownBy(() -> {
            node2.sync();
            node2.refresh("h0", "h1");
        }).isInstanceOf(InvalidGrantException.class);
    }

    @Test
    void logout_onNode1_revokesTheTokenAndItsFamilyOnNode2AfterSync() {
        node1.startFamily("fam-1", "alice", Set.of("user"), "h0");
        node1.logout("jti-1", T0.plus(ACCESS_LIFETIME), "fam-1");

        node2.sync();

        assertThat(node2.rejection("jti-1", "alice", T0, "fam-1")).isPresent();
        assertThat(node2.rejection("jti-2", "alice", T0, "fam-1")).as("another access token of the family")
                .hasValueSatisfying(r -> assertThat(r).contains("fam-1"));
        assertThat(node2.family("fam-1")).hasValueSatisfying(f -> assertThat(f.revoked()).isTrue());
        assertThatThrownBy(() -> node2.refresh("h0", "h1")).isInstanceOf(InvalidGrantException.class);
    }

    @Test
    void logout_onNode2_ofAFamilyItHasNotSeen_findsItInTheDatabaseAndRevokesIt() {
        node1.startFamily("fam-1", "alice", Set.of("user"), "h0");

        node2.logout("jti-1", T0.plus(ACCESS_LIFETIME), "fam-1");

        node1.sync();
        assertThat(node1.rejection("jti-2", "alice", T0, "fam-1")).isPresent();
        assertThatThrownBy(() -> node1.refresh("h0", "h1")).isInstanceOf(InvalidGrantException.class);
    }

    // ---------------------------------------------------------------- refresh across nodes

    @Test
    void refresh_onNode2_ofAFamilyStartedOnNode1_succeedsWithoutExplicitSync() {
        node1.startFamily("fam-1", "alice", Set.of("user", "admin"), "h0");

        RefreshFamily refreshed = node2.refresh("h0", "h1");

        assertThat(refreshed.id()).isEqualTo("fam-1");
        assertThat(refreshed.subject()).isEqualTo("alice");
        assertThat(refreshed.groups()).containsExactlyInAnyOrder("user", "admin");
        assertThat(refreshed.generation()).isEqualTo(1);
        node1.sync();
        assertThat(node1.family("fam-1")).hasValueSatisfying(f -> assertThat(f.generation()).isEqualTo(1));
        assertThat(node1.refresh("h1", "h2").generation()).as("node 1 exchanges node 2's token").isEqualTo(2);
    }

    @Test
    void refresh_ofAnUnknownToken_isRefusedOnEveryNode() {
        assertThatThrownBy(() -> node1.refresh("nope", "h1")).isInstanceOf(InvalidGrantException.class);
        assertThatThrownBy(() -> node2.refresh("nope", "h1")).isInstanceOf(InvalidGrantException.class);
    }

    @Test
    void refresh_ofASupersededTokenOnANodeThatThinksItCurrent_isRefusedAndRevokesTheFamilyEverywhere()
            throws SQLException {
        node1.startFamily("fam-1", "alice", Set.of("user"), "h0");
        node2.sync();
        node1.refresh("h0", "h1");
        assertThat(node2.family("fam-1")).as("node 2 still thinks h0 is current")
                .hasValueSatisfying(f -> assertThat(f.generation()).isZero());

        assertThatThrownBy(() -> node2.refresh("h0", "h-stolen")).isInstanceOf(InvalidGrantException.class)
                .hasMessageContaining("fam-1");

        assertThat(node2.family("fam-1")).hasValueSatisfying(f -> assertThat(f.revoked()).isTrue());
        node1.sync();
        assertThat(node1.family("fam-1")).hasValueSatisfying(f -> assertThat(f.revoked()).isTrue());
        assertThat(node1.rejection("jti-9", "alice", T0, "fam-1")).as("an access token of the family on node 1")
                .isPresent();
        assertThatThrownBy(() -> node1.refresh("h1", "h2")).as("the legitimate newest token too")
                .isInstanceOf(InvalidGrantException.class);
        assertThat(count("SELECT count(*) FROM keyring_refresh_family WHERE revoked_at IS NOT NULL")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM keyring_refresh_token WHERE hash = 'h-stolen'")).isZero();
    }

    @Test
    void refresh_ofTheSameTokenConcurrentlyOnBothNodes_succeedsExactlyOnce() throws Exception {
        node1.startFamily("fam-1", "alice", Set.of("user"), "h0");
        node2.sync();
        int attempts = 8;
        threads = Executors.newFixedThreadPool(attempts);
        CountDownLatch ready = new CountDownLatch(attempts);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<RefreshFamily>> results = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            LedgerNode node = i % 2 == 0 ? node1 : node2;
            String next = "h1-" + i;
            Callable<RefreshFamily> refresh = () -> {
                ready.countDown();
                go.await();
                return node.refresh("h0", next);
            };
            results.add(threads.submit(refresh));
        }
        assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
        go.countDown();

        int succeeded = 0;
        for (Future<RefreshFamily> result : results) {
            try {
                assertThat(result.get(60, TimeUnit.SECONDS).generation()).isEqualTo(1);
                succeeded++;
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(InvalidGrantException.class);
            }
        }

        assertThat(succeeded).isEqualTo(1);
        // every other attempt presented a token that had been exchanged: reuse, which revokes the family
        node1.sync();
        node2.sync();
        assertThat(List.of(node1, node2)).allSatisfy(
                node -> assertThat(node.family("fam-1")).hasValueSatisfying(f -> assertThat(f.revoked()).isTrue()));
        assertThat(count("SELECT generation FROM keyring_refresh_family WHERE id = 'fam-1'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM keyring_refresh_token WHERE family_id = 'fam-1'"))
                .as("h0 and the one token that replaced it").isEqualTo(2);
    }

    // ---------------------------------------------------------------- group commit

    @Test
    void loginsQueuedTogether_shareOneTransaction_andEachIsInTheDatabaseWhenItsWaitReturns() throws SQLException {
        JdbcLedgerJournal journal = new JdbcLedgerJournal(dataSource, "test");
        long first = journal.write(login("fam-a", "ha"));
        long second = journal.write(login("fam-b", "hb"));
        assertThat(count("SELECT count(*) FROM keyring_refresh_family")).as("queued, not written").isZero();

        journal.awaitDurable(second);

        assertThat(count("SELECT count(*) FROM keyring_refresh_family")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM keyring_refresh_token")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM keyring_ledger_change")).as("one transaction, one feed entry")
                .isEqualTo(1);
        journal.awaitDurable(first); // written with the second: returns at once
        node2.sync();
        assertThat(node2.family("fam-a")).isPresent();
        assertThat(node2.family("fam-b")).isPresent();
    }

    @Test
    void aRotationThatConflicts_isRefusedAlone_andTheLoginsQueuedBeforeItAreWritten() throws SQLException {
        node1.startFamily("fam-1", "alice", Set.of("user"), "h0");
        node2.sync();
        node2.refresh("h0", "h1"); // node 2 rotates fam-1 to generation 1 first
        JdbcLedgerJournal journal = new JdbcLedgerJournal(dataSource, "test");
        long queued = journal.write(login("fam-q", "hq"));
        RefreshFamily stale = node1.family("fam-1").orElseThrow().rotated(1, T0.plus(REFRESH_LIFETIME));

        assertThatThrownBy(() -> journal.write(List.of(new FamilyRecorded(stale),
                new RefreshTokenRecorded("h1-node1", "fam-1", 1, T0.plus(REFRESH_LIFETIME)))))
                .isInstanceOf(LedgerConflictException.class);

        journal.awaitDurable(queued);
        assertThat(count("SELECT count(*) FROM keyring_refresh_family WHERE id = 'fam-q'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM keyring_refresh_token WHERE hash = 'h1-node1'")).isZero();
        assertThat(count("SELECT generation FROM keyring_refresh_family WHERE id = 'fam-1'")).isEqualTo(1);
    }

    @Test
    void concurrentLogins_onTwoNodes_areEachDurableWhenTheyReturn() throws Exception {
        int perThread = 20;
        int threadCount = 8;
        threads = Executors.newFixedThreadPool(threadCount);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            LedgerNode node = t % 2 == 0 ? node1 : node2;
            int thread = t;
            done.add(threads.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    String id = "fam-" + thread + "-" + i;
                    node.startFamily(id, "user-" + thread, Set.of("user"), "h-" + id);
                    // returned: in the database, as any other node sees it
                    assertThat(count("SELECT count(*) FROM keyring_refresh_token WHERE hash = 'h-" + id + "'"))
                            .isEqualTo(1);
                }
                return null;
            }));
        }
        for (Future<?> result : done) {
            result.get(120, TimeUnit.SECONDS);
        }
        assertThat(count("SELECT count(*) FROM keyring_refresh_family")).isEqualTo(perThread * threadCount);
        assertThat(count("SELECT count(*) FROM keyring_ledger_change")).isLessThanOrEqualTo(perThread * threadCount);
    }

    private static List<LedgerEvent> login(String familyId, String hash) {
        Instant until = T0.plus(REFRESH_LIFETIME);
        return List.of(new FamilyRecorded(new RefreshFamily(familyId, "alice", Set.of("user"), T0, 0, until, null, until)),
                new RefreshTokenRecorded(hash, familyId, 0, until));
    }

    // ---------------------------------------------------------------- a new node

    @Test
    void load_onANewNode_seesEveryRevocationAndFamily() {
        node1.revokeToken("jti-1", Optional.of(T0.plus(ACCESS_LIFETIME)));
        node2.revokeSubject("bob");
        node1.startFamily("fam-1", "alice", Set.of("user"), "a0");
        node2.refresh("a0", "a1");
        node2.startFamily("fam-2", "carol", Set.of(), "c0");
        node1.logout("jti-2", T0.plus(ACCESS_LIFETIME), "fam-2");

        LedgerNode node3 = node("node 3");

        assertThat(node3.rejection("jti-1", "alice", T0, null)).isPresent();
        assertThat(node3.rejection("jti-x", "bob", T0, null)).isPresent();
        assertThat(node3.rejection("jti-2", "carol", T0, null)).isPresent();
        assertThat(node3.rejection("jti-y", "carol", T0, "fam-2")).isPresent();
        assertThat(node3.rejection("jti-z", "alice", T0, "fam-1")).isEmpty();
        assertThat(node3.family("fam-1")).hasValueSatisfying(f -> {
            assertThat(f.generation()).isEqualTo(1);
            assertThat(f.revoked()).isFalse();
            assertThat(f.groups()).containsExactly("user");
        });
        assertThat(node3.family("fam-2")).hasValueSatisfying(f -> assertThat(f.revoked()).isTrue());
        assertThatThrownBy(() -> node3.refresh("a0", "a2")).as("the superseded token")
                .isInstanceOf(InvalidGrantException.class);
    }

    @Test
    void load_onANewNode_exchangesTheCurrentToken() {
        node1.startFamily("fam-1", "alice", Set.of("user"), "a0");
        node2.refresh("a0", "a1");

        LedgerNode node3 = node("node 3");

        assertThat(node3.refresh("a1", "a2").generation()).isEqualTo(2);
        assertThat(node3.size()).as("the family and its tokens a0, a1 and a2").isEqualTo(4);
    }

    // ---------------------------------------------------------------- prune

    @Test
    void prune_afterEveryKeepUntilHasPassed_deletesEveryRow() throws SQLException {
        recordOneOfEach();
        assertThat(LEDGER_TABLES).allSatisfy(table -> assertThat(rows(table)).as(table).isPositive());

        clock.advance(REFRESH_LIFETIME.plus(SKEW).plus(ACCESS_LIFETIME).plusSeconds(1));
        int forgotten = node1.prune();

        assertThat(forgotten).isPositive();
        assertThat(LEDGER_TABLES).allSatisfy(table -> assertThat(rows(table)).as(table).isZero());
        assertThat(node1.size()).isZero();
    }

    @Test
    void prune_deletesOnlyRowsWhoseKeepUntilHasPassed() throws SQLException {
        recordOneOfEach();

        clock.advance(ACCESS_LIFETIME.plus(SKEW).plusSeconds(1));
        node2.prune();

        assertThat(rows("keyring_revoked_token")).as("revoked token kept until its exp + skew").isZero();
        assertThat(rows("keyring_revoked_subject")).isEqualTo(1);
        assertThat(rows("keyring_refresh_family")).isEqualTo(1);
        assertThat(rows("keyring_refresh_token")).isEqualTo(1);
        assertThat(node2.refresh("h0", "h1").generation()).isEqualTo(1);
    }

    @Test
    void prune_atExactlyKeepUntil_keepsTheRow() throws SQLException {
        node1.revokeToken("jti-1", Optional.of(T0.plus(ACCESS_LIFETIME)));

        clock.set(T0.plus(ACCESS_LIFETIME).plus(SKEW));
        node1.prune();

        assertThat(rows("keyring_revoked_token")).isEqualTo(1);
        assertThat(node1.rejection("jti-1", "alice", T0, null)).isPresent();
    }

    @Test
    void prune_dropsFeedEntriesPastTheRetention_andANodeThatHadNotReadThemReloadsTheFullState() throws SQLException {
        node1.revokeToken("jti-1", Optional.of(T0.plus(ACCESS_LIFETIME)));
        node1.revokeToken("jti-2", Optional.of(T0.plus(ACCESS_LIFETIME)));
        long old = count("SELECT max(seq) FROM keyring_ledger_change");
        // the feed keeps changes for an hour of the database's own time, which the test clock does not move
        execute("UPDATE keyring_ledger_change SET created_at = now() - interval '2 hours'");
        node1.revokeToken("jti-3", Optional.of(T0.plus(ACCESS_LIFETIME)));

        node1.prune();

        assertThat(count("SELECT pruned_through FROM keyring_ledger_feed")).isEqualTo(old);
        assertThat(rows("keyring_ledger_change")).as("the change made within the hour").isEqualTo(1);
        assertThat(node2.sync()).as("node 2 had read none of the pruned changes: the full state").isEqualTo(3);
        assertThat(node2.rejection("jti-1", "alice", T0, null)).isPresent();
        assertThat(node2.rejection("jti-3", "alice", T0, null)).isPresent();
    }

    private void recordOneOfEach() {
        node1.revokeToken("jti-1", Optional.of(T0.plus(ACCESS_LIFETIME)));
        node1.revokeSubject("bob");
        node1.startFamily("fam-1", "alice", Set.of("user"), "h0");
    }

    // ---------------------------------------------------------------- change-feed gap

    @Test
    void sync_ofALaggingNode_afterTheFeedWasPrunedPastIt_reloadsTheFullState() throws SQLException {
        node1.startFamily("fam-1", "alice", Set.of("user"), "h0");
        node2.sync();
        node1.refresh("h0", "h1");
        node1.revokeToken("jti-1", Optional.of(T0.plus(ACCESS_LIFETIME)));
        node1.revokeSubject("bob");
        node1.startFamily("fam-2", "carol", Set.of(), "c0");
        node1.revokeFamily("fam-2");
        feedPrunedThroughTheEnd();

        int applied = node2.sync();

        assertThat(applied).as("events of the full state").isEqualTo(node1.size());
        assertThat(node2.size()).isEqualTo(node1.size());
        assertThat(node2.family("fam-1")).hasValueSatisfying(f -> assertThat(f.generation()).isEqualTo(1));
        assertThat(node2.rejection("jti-1", "alice", T0, null)).isPresent();
        assertThat(node2.rejection("jti-x", "bob", T0, null)).isPresent();
        assertThat(node2.rejection("jti-y", "carol", T0, "fam-2")).isPresent();
        assertThat(node2.refresh("h1", "h2").generation()).isEqualTo(2);
        assertThatThrownBy(() -> node2.refresh("h0", "h-old")).isInstanceOf(InvalidGrantException.class);
    }

    @Test
    void sync_afterAFullReload_pullsOnlyNewChanges() throws SQLException {
        node1.revokeToken("jti-1", Optional.of(T0.plus(ACCESS_LIFETIME)));
        node1.revokeToken("jti-2", Optional.of(T0.plus(ACCESS_LIFETIME)));
        feedPrunedThroughTheEnd();
        assertThat(node2.sync()).as("the full reload").isEqualTo(2);

        assertThat(node2.sync()).as("a sync with nothing new").isZero();

        node1.revokeToken("jti-3", Optional.of(T0.plus(ACCESS_LIFETIME)));
        assertThat(node2.sync()).as("a sync after one new change").isEqualTo(1);
        assertThat(node2.rejection("jti-3", "alice", T0, null)).isPresent();
    }

    @Test
    void load_ofANewNode_whileTheFeedIsEmptyAfterPruning_needsNoFullReloadOnItsNextSync() throws SQLException {
        node1.revokeToken("jti-1", Optional.of(T0.plus(ACCESS_LIFETIME)));
        feedPrunedThroughTheEnd();
        LedgerNode node3 = node("node 3");

        assertThat(node3.sync()).as("a sync with nothing new").isZero();
        assertThat(node3.rejection("jti-1", "alice", T0, null)).isPresent();
    }

    @Test
    void sync_duringAFullReload_neverStopsRejectingARevokedFamily() throws Exception {
        // the ledger is checked without a lock on the request path, so a full reload must never expose a state in
        // which an entry it still holds is missing
        node1.startFamily("fam-1", "alice", Set.of("user"), "h0");
        node1.revokeFamily("fam-1");
        manyRevokedTokens(3000);
        node2.sync();
        execute("UPDATE keyring_ledger_feed SET pruned_through = 9223372036854775807");
        assertThat(node2.rejection("jti-a", "alice", T0, "fam-1")).as("before the reloads").isPresent();
        AtomicBoolean reloading = new AtomicBoolean(true);
        AtomicInteger accepted = new AtomicInteger();
        threads = Executors.newSingleThreadExecutor();
        Future<?> checker = threads.submit(() -> {
            while (reloading.get()) {
                if (node2.rejection("jti-a", "alice", T0, "fam-1").isEmpty()) {
                    accepted.incrementAndGet();
                }
            }
        });

        try {
            for (int i = 0; i < 30; i++) {
                node2.sync();
            }
        } finally {
            reloading.set(false);
        }
        checker.get(30, TimeUnit.SECONDS);

        assertThat(accepted.get()).as("checks that accepted a token of the revoked family during the reloads")
                .isZero();
    }

    /** The feed as a prune leaves it when every change is older than its retention: all read, none kept. */
    private void feedPrunedThroughTheEnd() throws SQLException {
        execute("UPDATE keyring_ledger_feed SET pruned_through = (SELECT max(seq) FROM keyring_ledger_change)");
        execute("DELETE FROM keyring_ledger_change");
    }

    private void manyRevokedTokens(int count) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO keyring_revoked_token (jti, keep_until) VALUES (?, ?)")) {
            for (int i = 0; i < count; i++) {
                insert.setString(1, "bulk-" + i);
                insert.setObject(2, OffsetDateTime.ofInstant(T0.plus(Duration.ofHours(1)), ZoneOffset.UTC));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    // ---------------------------------------------------------------- conflicts

    @Test
    void append_ofAStaleRotation_throwsConflictAndWritesNothing() throws SQLException {
        RefreshFamily started = node1.startFamily("fam-1", "alice", Set.of("user"), "h0");
        node1.refresh("h0", "h1");
        List<String> before = everyLedgerRow();
        Instant expires = T0.plus(REFRESH_LIFETIME);
        RefreshFamily staleRotation = new RefreshFamily("fam-1", "alice", Set.of("user"), started.created(), 1,
                expires, null, expires);
        List<LedgerEvent> events = List.of(new TokenRevoked("jti-x", expires),
                new RefreshTokenRecorded("h-other", "fam-1", 1, expires), new FamilyRecorded(staleRotation));
        JdbcLedgerJournal journal = new JdbcLedgerJournal(dataSource, "node 3");

        assertThatThrownBy(() -> journal.append(events)).isInstanceOf(LedgerConflictException.class)
                .hasMessageContaining("fam-1");

        assertThat(everyLedgerRow()).containsExactlyElementsOf(before);
        assertThat(count("SELECT count(*) FROM keyring_revoked_token WHERE jti = 'jti-x'")).isZero();
    }

    @Test
    void append_ofARotationOfARevokedFamily_throwsConflictAndWritesNothing() throws SQLException {
        RefreshFamily started = node1.startFamily("fam-1", "alice", Set.of("user"), "h0");
        node1.revokeFamily("fam-1");
        List<String> before = everyLedgerRow();
        Instant expires = T0.plus(REFRESH_LIFETIME);
        RefreshFamily rotation = new RefreshFamily("fam-1", "alice", Set.of("user"), started.created(), 1, expires,
                null, expires);

        assertThatThrownBy(() -> new JdbcLedgerJournal(dataSource, "node 3").append(List.of(
                new RefreshTokenRecorded("h1", "fam-1", 1, expires), new FamilyRecorded(rotation))))
                .isInstanceOf(LedgerConflictException.class);

        assertThat(everyLedgerRow()).containsExactlyElementsOf(before);
    }

    // ---------------------------------------------------------------- SQL

    private long rows(String table) {
        try {
            return count("SELECT count(*) FROM " + table);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).as(sql).isTrue();
            return rows.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    /** Every row of the ledger tables and the change feed, as text, in a stable order. */
    private List<String> everyLedgerRow() throws SQLException {
        List<String> rows = new ArrayList<>();
        List<String> tables = new ArrayList<>(LEDGER_TABLES);
        tables.add("keyring_ledger_change");
        tables.add("keyring_ledger_feed");
        try (Connection connection = dataSource.getConnection()) {
            for (String table : tables) {
                try (Statement statement = connection.createStatement();
                        ResultSet result = statement.executeQuery("SELECT * FROM " + table + " ORDER BY 1")) {
                    ResultSetMetaData meta = result.getMetaData();
                    while (result.next()) {
                        StringBuilder row = new StringBuilder(table).append(':');
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            row.append(' ').append(meta.getColumnName(i)).append('=').append(result.getString(i));
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        return rows;
    }
}
