package io.github.jwtkeyring.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.keys.JdkKeyGenerator;
import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.rotation.Rotation;
import io.github.jwtkeyring.rotation.RotationPolicy;
import io.github.jwtkeyring.rotation.StoredKeyRingManager;
import io.github.jwtkeyring.testing.MutableClock;
import io.github.jwtkeyring.testing.PostgresServer;

/**
 * Three nodes sharing one ring in a real PostgreSQL database: each node is a {@link StoredKeyRingManager} on its own
 * {@link JdbcKeyRingStore}, all with the same KEK and the same clock, and every transition (bootstrap, rotation on
 * demand, scheduled transitions) happens once however many nodes attempt it at the same moment.
 */
class JdbcClusterTransitionsTest {

    private static final Instant T0 = Instant.parse("2025-01-06T08:00:00Z");
    private static final Duration PERIOD = Duration.ofDays(1);
    private static final Duration PUBLISH_AHEAD = Duration.ofHours(1);
    private static final Duration PROPAGATION = Duration.ofSeconds(30);
    private static final JdkKeyGenerator GENERATOR = new JdkKeyGenerator(new SecureRandom(), 2048);
    /** One node alone would use this policy too: propagation zero. */
    private static final Rotation IMMEDIATE = new Rotation(new RotationPolicy(SigningAlgorithm.ES256, PERIOD,
            PUBLISH_AHEAD, Duration.ofMinutes(5), Duration.ofSeconds(30)), GENERATOR);
    /** A rotation on demand waits for a key published less than the JWKS max-age, half the publish-ahead time. */
    private static final Duration MAX_AGE = PUBLISH_AHEAD.dividedBy(2);
    /**
     * A cluster whose nodes reload the ring every 30 s, with a publish-ahead time short enough (50 s, a 25 s JWKS
     * max-age) that the reload interval is what a new key waits for.
     */
    private static final Rotation PROPAGATED = new Rotation(new RotationPolicy(SigningAlgorithm.ES256, PERIOD,
            Duration.ofSeconds(50), Duration.ofMinutes(5), Duration.ofSeconds(30), PROPAGATION), GENERATOR);
    private static final KeyEncryptionKeys KEKS = new KeyEncryptionKeys(
            new KeyEncryptionKey(JdbcKeyRingStoreTest.random(), "cluster KEK"), List.of());

    private final MutableClock clock = new MutableClock(T0);
    private final ExecutorService threads = Executors.newFixedThreadPool(3);
    private DataSource dataSource;

    @BeforeEach
    void freshDatabase() {
        dataSource = PostgresServer.shared().migratedDatabase();
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private List<KeyRingManager> nodes(Rotation rotation) {
        List<KeyRingManager> nodes = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            nodes.add(new StoredKeyRingManager(new JdbcKeyRingStore(dataSource, KEKS, "node " + i), rotation, clock));
        }
        return nodes;
    }

    private List<KeyRingManager> startedNodes(Rotation rotation) {
        List<KeyRingManager> nodes = nodes(rotation);
        nodes.forEach(KeyRingManager::start);
        return nodes;
    }

    // ---------------------------------------------------------------- start

    @Test
    void start_ofThreeNodesOneAfterAnother_onlyTheFirstBootstraps_allShareOneRing() throws SQLException {
        List<KeyRingManager> nodes = nodes(IMMEDIATE);

        KeyRing first = nodes.get(0).start();
        clock.advance(Duration.ofMinutes(1));
        KeyRing second = nodes.get(1).start();
        clock.advance(Duration.ofMinutes(1));
        KeyRing third = nodes.get(2).start();

        assertThat(first.version()).as("bootstrapped, then the next key published").isEqualTo(2);
        assertThat(first.keys()).as("the ACTIVE key and the next, published at once").hasSize(2);
        assertThat(List.of(second, third)).allSatisfy(ring -> {
            assertThat(ring.version()).isEqualTo(2);
            assertThat(ring.active().kid()).isEqualTo(first.active().kid());
            assertThat(ring.keys()).hasSize(2);
        });
        assertThat(count("SELECT count(*) FROM keyring_key")).isEqualTo(2);
        assertThat(count("SELECT version FROM keyring_ring")).isEqualTo(2);
    }

    @Test
    void start_ofThreeNodesAtTheSameMoment_bootstrapsOnce() throws Exception {
        List<KeyRingManager> nodes = nodes(IMMEDIATE);

        List<KeyRing> rings = together(nodes, KeyRingManager::start);

        assertThat(rings).extracting(r -> r.active().kid()).containsOnly(rings.get(0).active().kid());
        assertThat(rings).extracting(KeyRing::version).containsOnly(2L);
        assertThat(count("SELECT count(*) FROM keyring_key")).isEqualTo(2);
    }

    // ---------------------------------------------------------------- rotation on demand

    @Test
    void rotateNow_onThreeNodesAtTheSameMoment_rotatesOnce() throws Exception {
        List<KeyRingManager> nodes = startedNodes(IMMEDIATE);

        for (int round = 1; round <= 3; round++) {
            clock.advance(MAX_AGE.plusMinutes(1));
            KeyRing before = stored();
            long oneRotation = IMMEDIATE.rotateNow(before, clock.instant()).version() - before.version();

            List<KeyRing> results = together(nodes, KeyRingManager::rotateNow);

            KeyRing after = stored();
            assertThat(after.version()).as("version after round %d", round).isEqualTo(before.version() + oneRotation);
            assertOneRotation(before, after, clock.instant());
            assertThat(results).as("what each node returned in round %d", round)
                    .allSatisfy(r -> assertThat(r.version()).isEqualTo(after.version()))
                    .extracting(r -> r.active().kid()).containsOnly(after.active().kid());
            assertThat(nodes).extracting(n -> n.current().active().kid()).containsOnly(after.active().kid());
        }
    }

    @Test
    void rotateNow_onANodeThatHasNotSeenTheLatestRotation_doesNotRotateAgain() throws SQLException {
        List<KeyRingManager> nodes = startedNodes(IMMEDIATE);
        clock.advance(MAX_AGE);
        KeyRing afterFirst = nodes.get(0).rotateNow();

        KeyRing fromStale = nodes.get(1).rotateNow();

        assertThat(fromStale.version()).isEqualTo(afterFirst.version());
        assertThat(fromStale.active().kid()).isEqualTo(afterFirst.active().kid());
        assertThat(stored().version()).isEqualTo(afterFirst.version());
        assertThat(nodes.get(1).current().active().kid()).as("the stale node took in the rotation")
                .isEqualTo(afterFirst.active().kid());
    }

    // ---------------------------------------------------------------- scheduled transitions

    @Test
    void tick_onThreeNodesAtTheSameMoment_whenATransitionIsDue_appliesItOnce() throws Exception {
        List<KeyRingManager> nodes = startedNodes(IMMEDIATE);
        KeyRing before = stored();
        String first = before.active().kid();
        String next = before.pending().orElseThrow().kid();

        clock.set(T0.plus(PERIOD));
        List<KeyRing> promoted = together(nodes, KeyRingManager::tick);

        KeyRing afterPromotion = stored();
        assertThat(afterPromotion.version()).isEqualTo(IMMEDIATE.advance(before, clock.instant()).version());
        assertThat(afterPromotion.active().kid()).isEqualTo(next);
        assertThat(afterPromotion.require(first).state()).isEqualTo(KeyState.RETIRED);
        assertThat(afterPromotion.keys()).as("RETIRED, ACTIVE and the next PENDING key").hasSize(3);
        assertThat(promoted).extracting(r -> r.active().kid()).containsOnly(next);
        assertThat(promoted).extracting(r -> r.pending().orElseThrow().kid())
                .containsOnly(afterPromotion.pending().orElseThrow().kid());
    }

    @Test
    void tick_onEachNodeInTurn_whenATransitionIsDue_appliesItOnce() throws SQLException {
        List<KeyRingManager> nodes = startedNodes(IMMEDIATE);
        clock.set(T0.plus(PERIOD));

        nodes.forEach(KeyRingManager::tick);

        KeyRing after = stored();
        assertThat(after.version()).as("the promotion and the next key published").isEqualTo(4);
        assertThat(after.keys()).hasSize(3);
        assertThat(nodes).extracting(n -> n.current().version()).containsOnly(4L);
    }

    @Test
    void tick_whenNothingIsDue_writesNothing() throws SQLException {
        List<KeyRingManager> nodes = startedNodes(IMMEDIATE);
        clock.advance(Duration.ofHours(1));

        nodes.forEach(KeyRingManager::tick);

        assertThat(stored().version()).isEqualTo(2);
    }

    // ---------------------------------------------------------------- reload

    @Test
    void reload_afterAChangeOnAnotherNode_takesInTheNewerRing() throws SQLException {
        List<KeyRingManager> nodes = startedNodes(IMMEDIATE);
        KeyRing before = nodes.get(1).current();
        clock.advance(MAX_AGE);
        KeyRing rotated = nodes.get(0).rotateNow();
        assertThat(nodes.get(1).current()).as("node 2 before reloading").isSameAs(before);

        KeyRing reloaded = nodes.get(1).reload();

        assertThat(reloaded.version()).isEqualTo(rotated.version());
        assertThat(reloaded.active().kid()).isEqualTo(rotated.active().kid());
        assertThat(nodes.get(1).current()).isSameAs(reloaded);
        assertThat(nodes.get(1).signingKey(Duration.ofMinutes(5)).kid()).isEqualTo(rotated.active().kid());
        assertThat(stored().version()).as("signing within the recorded lifetime writes nothing")
                .isEqualTo(rotated.version());
    }

    @Test
    void reload_withoutNewerRing_keepsTheRingItHolds() {
        List<KeyRingManager> nodes = startedNodes(IMMEDIATE);
        KeyRing held = nodes.get(2).current();

        assertThat(nodes.get(2).reload()).isSameAs(held);
    }

    // ---------------------------------------------------------------- propagation

    @Test
    void rotateNow_withPropagation_onAFreshRing_schedulesThePendingKeyInsteadOfSwitching() throws Exception {
        List<KeyRingManager> nodes = startedNodes(PROPAGATED);
        KeyRing started = stored();
        String first = started.active().kid();
        ManagedKey pending = started.pending().orElseThrow();
        clock.advance(Duration.ofSeconds(10));

        List<KeyRing> results = together(nodes, KeyRingManager::rotateNow);

        KeyRing scheduled = stored();
        assertThat(scheduled.active().kid()).as("still signing").isEqualTo(first);
        assertThat(scheduled.version()).as("one change for three requests").isEqualTo(started.version() + 1);
        assertThat(scheduled.pending().orElseThrow().kid()).isEqualTo(pending.kid());
        assertThat(scheduled.pending().orElseThrow().metadata().activates()).isEqualTo(T0.plus(PROPAGATION));
        assertThat(results).extracting(r -> r.pending().orElseThrow().kid()).containsOnly(pending.kid());

        clock.set(T0.plus(PROPAGATION).minusSeconds(1));
        nodes.forEach(KeyRingManager::tick);
        assertThat(stored().active().kid()).as("a second before the key has propagated").isEqualTo(first);

        clock.advance(Duration.ofSeconds(1));
        together(nodes, KeyRingManager::tick);

        KeyRing promoted = stored();
        assertThat(promoted.active().kid()).isEqualTo(pending.kid());
        assertThat(promoted.active().metadata().activates()).isEqualTo(T0.plus(PROPAGATION));
        assertThat(promoted.require(first).state()).isEqualTo(KeyState.RETIRED);
        assertThat(promoted.version()).as("scheduled, promoted, the next key published")
                .isEqualTo(started.version() + 3);
        assertThat(nodes).extracting(n -> n.current().active().kid()).containsOnly(pending.kid());
    }

    @Test
    void rotateNow_withPropagation_whenThePendingKeyIsOlderThanThePropagation_promotesItAtOnce() throws Exception {
        List<KeyRingManager> nodes = startedNodes(PROPAGATED);
        KeyRing before = stored();
        String first = before.active().kid();
        String pending = before.pending().orElseThrow().kid();
        clock.advance(PROPAGATION);
        Instant requested = clock.instant();

        List<KeyRing> results = together(nodes, KeyRingManager::rotateNow);

        KeyRing after = stored();
        assertThat(after.active().kid()).isEqualTo(pending);
        assertThat(after.active().metadata().activates()).isEqualTo(requested);
        assertThat(after.require(first).state()).isEqualTo(KeyState.RETIRED);
        assertThat(after.require(first).metadata().retires()).isEqualTo(requested);
        assertThat(after.version()).isEqualTo(PROPAGATED.rotateNow(before, requested).version());
        assertThat(after.keys()).filteredOn(k -> k.state() == KeyState.RETIRED).hasSize(1);
        assertThat(results).extracting(r -> r.active().kid()).containsOnly(pending);
    }

    @Test
    void rotateNow_withPropagation_rightAfterARotation_schedulesTheNewPendingKeyForWhenItHasPropagated()
            throws SQLException {
        List<KeyRingManager> nodes = startedNodes(PROPAGATED);
        clock.advance(Duration.ofMinutes(1));
        Instant published = clock.instant();
        KeyRing rotated = nodes.get(0).rotateNow();
        ManagedKey pending = rotated.pending().orElseThrow();
        assertThat(pending.metadata().created()).as("fixture: the next key, published with the rotation")
                .isEqualTo(published);
        clock.advance(Duration.ofSeconds(10));

        nodes.get(1).reload();
        nodes.get(1).rotateNow();

        KeyRing scheduled = stored();
        assertThat(scheduled.active().kid()).isEqualTo(rotated.active().kid());
        assertThat(scheduled.pending().orElseThrow().kid()).isEqualTo(pending.kid());
        assertThat(scheduled.pending().orElseThrow().metadata().activates()).isEqualTo(published.plus(PROPAGATION));

        clock.set(published.plus(PROPAGATION));
        nodes.get(2).reload();
        nodes.get(2).tick();

        assertThat(stored().active().kid()).isEqualTo(pending.kid());
        assertThat(nodes.get(0).reload().active().kid()).isEqualTo(pending.kid());
    }

    // ---------------------------------------------------------------- helpers

    /** Asserts that exactly one rotation led from {@code before} to {@code after}. */
    private static void assertOneRotation(KeyRing before, KeyRing after, Instant now) {
        String old = before.active().kid();
        assertThat(after.active().kid()).isNotEqualTo(old);
        assertThat(before.find(after.active().kid()).map(ManagedKey::state))
                .as("the new ACTIVE key was PENDING before, or new").isIn(Optional.empty(), Optional.of(KeyState.PENDING));
        assertThat(after.require(old).state()).isEqualTo(KeyState.RETIRED);
        List<String> newKids = after.keys().stream().map(ManagedKey::kid).filter(k -> before.find(k).isEmpty())
                .toList();
        assertThat(newKids).as("keys created by the rotation").hasSizeLessThanOrEqualTo(2);
        assertThat(after.keys()).filteredOn(k -> k.state() == KeyState.RETIRED)
                .as("RETIRED keys: the ones before still in their retire window, plus the old ACTIVE key").hasSize(
                        (int) before.keys().stream().filter(k -> k.state() == KeyState.RETIRED
                                && k.metadata().destroyAfter().isAfter(now)).count() + 1);
        assertThat(after.pending()).isPresent();
    }

    /**
     * Runs {@code action} on every node in its own thread, released at the same moment by a latch, and returns the
     * results in node order. Waits for the threads with a deadline.
     */
    private <T> List<T> together(List<KeyRingManager> nodes, Function<KeyRingManager, T> action) throws Exception {
        CountDownLatch ready = new CountDownLatch(nodes.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (KeyRingManager node : nodes) {
            Callable<T> call = () -> {
                ready.countDown();
                go.await();
                return action.apply(node);
            };
            futures.add(threads.submit(call));
        }
        assertThat(ready.await(10, TimeUnit.SECONDS)).as("threads ready").isTrue();
        go.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get(60, TimeUnit.SECONDS));
        }
        return results;
    }

    /** The ring as stored, read by a store of its own. */
    private KeyRing stored() {
        return new JdbcKeyRingStore(dataSource, KEKS, "reader").load().orElseThrow();
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
