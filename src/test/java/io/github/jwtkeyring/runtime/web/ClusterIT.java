package io.github.jwtkeyring.runtime.web;

import static io.github.jwtkeyring.runtime.web.ClusterNodes.CHECK_INTERVAL;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.PROPAGATION;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.RELOAD_INTERVAL;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.await;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.keys;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.kid;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.login;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.meStatus;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.refresh;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.refreshFails;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.rotate;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.rows;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.runtime.web.ClusterNodes.Key;
import io.github.jwtkeyring.runtime.web.ClusterNodes.Ring;
import io.github.jwtkeyring.runtime.web.ClusterNodes.Session;
import io.github.jwtkeyring.store.jdbc.KeyEncryptionKey;
import io.github.jwtkeyring.testing.ApplicationProcess;
import io.github.jwtkeyring.testing.PostgresServer;

/**
 * Three packaged-application nodes A, B and C in the prod profile on one PostgreSQL database (a private server): they
 * accept each other's tokens, take in each other's rotations, logouts and refreshes (the tests wait for states, never
 * for a guessed time), rotate once when asked at once, keep one consistent ring when a node is killed mid-rotation or
 * mid-start, and store key material only encrypted under the KEK.
 * <p>
 * The nodes rotate every hour and publish the next key with a JWKS max-age equal to the reload interval, so that a
 * rotation on demand signs at once with a PENDING key stored for that long, and is deferred until then for a younger
 * one. The tests run in order, since each rotation builds on the ring the previous test left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    /**
     * The most a test waits for a deferred activation (due {@link ClusterNodes#RELOAD_INTERVAL} after its key was
     * stored, applied at the next check); the wait ends as soon as it happened.
     */
    private static final Duration SCHEDULED = RELOAD_INTERVAL.plus(CHECK_INTERVAL).plus(PROPAGATION);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static PostgresServer server;
    private static String database;
    private static DataSource dataSource;
    private static String kek;
    private static ApplicationProcess a;
    private static ApplicationProcess b;
    private static ApplicationProcess c;

    @BeforeAll
    static void startThreeNodesAtOnceOnAnEmptyDatabase() throws Exception {
        server = PostgresServer.shared();
        database = server.createDatabase();
        dataSource = server.dataSource(database);
        kek = ClusterNodes.randomKek();
        a = startNode();
        b = startNode();
        c = startNode();
        a.awaitStarted();
        b.awaitStarted();
        c.awaitStarted();
    }

    @AfterAll
    static void stopNodes() throws Exception {
        for (ApplicationProcess node : new ApplicationProcess[] { a, b, c }) {
            if (node != null) {
                node.close();
            }
        }
    }

    /**
     * The three nodes started at once made one ring between them, and none logged an error: the scheduler, which
     * starts with the application, must not report the ring it is still loading as a failed rotation.
     */
    @Test
    @Order(1)
    void threeNodesStartedAtOnce_makeOneRing_andLogNoError() {
        assertThat(rows(dataSource, "SELECT kid FROM keyring_key WHERE state = 'ACTIVE'")).hasSize(1);
        for (ApplicationProcess node : List.of(a, b, c)) {
            assertThat(node.output()).as("the log of %s", node.baseUri()).doesNotContain(" ERROR ");
        }
    }

    @Test
    @Order(2)
    void tokenIssuedByOneNode_isAcceptedByTheOthers() throws Exception {
        Ring ring = awaitSameRing(login(a, "admin").access(), Duration.ofSeconds(10));

        String fromA = login(a, "alice").access();
        assertThat(kid(a, fromA)).isEqualTo(ring.active().kid());
        assertThat(kid(b, fromA)).isEqualTo(ring.active().kid());
        assertThat(kid(c, fromA)).isEqualTo(ring.active().kid());
        String fromC = login(c, "carol").access();
        assertThat(kid(a, fromC)).isEqualTo(ring.active().kid());
    }

    /**
     * Every node shows the ring exactly as stored. PostgreSQL keeps microseconds, so a node that went on holding the
     * nanosecond instants of the ring it wrote would show another ring than the nodes that loaded it.
     */
    @Test
    @Order(3)
    void everyNode_holdsTheRingExactlyAsStored() throws Exception {
        String admin = login(a, "admin").access();
        List<Ring> seen = new ArrayList<>();
        try {
            await("A, B and C to hold the stored ring to the nanosecond", PROPAGATION, () -> {
                seen.clear();
                seen.add(ClusterNodes.storedRing(dataSource));
                for (ApplicationProcess node : List.of(a, b, c)) {
                    seen.add(keys(node, admin));
                }
                return seen.stream().allMatch(seen.get(0)::equals);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; stored, then A, B, C: " + seen, e);
        }
    }

    @Test
    @Order(4)
    void rotateOnB_isTakenInByAAndC_andADeferredRotationFollowsOnTheTick() throws Exception {
        String admin = login(a, "admin").access();
        Ring before = awaitPropagatedPending(admin);
        Key successor = before.pending().orElseThrow();
        String oldToken = login(a, "alice").access();

        Ring rotated = rotate(b, admin);

        assertThat(rotated.active().kid()).as("a PENDING key stored for the reload interval signs at once")
                .isEqualTo(successor.kid());
        await("A's logins to be signed with " + successor.kid(), PROPAGATION, () -> signsWith(a, successor));
        await("C's logins to be signed with " + successor.kid(), PROPAGATION, () -> signsWith(c, successor));
        assertThat(kid(c, oldToken)).as("the RETIRED key still verifies").isEqualTo(before.active().kid());

        // at once again: the new PENDING key is younger than the reload interval, so its activation is scheduled
        Ring deferred = rotate(b, admin);
        Key next = deferred.pending().orElseThrow();
        assertThat(deferred.active().kid()).isEqualTo(successor.kid());
        assertThat(next.activates()).isEqualTo(next.created().plus(RELOAD_INTERVAL));
        await("B to show " + next.kid() + " ACTIVE", SCHEDULED,
                () -> keys(b, admin).active().kid().equals(next.kid()));
        await("A's logins to be signed with " + next.kid(), PROPAGATION, () -> signsWith(a, next));
    }

    @Test
    @Order(5)
    void logoutOnC_rejectsTheTokenOnA_andItsRefreshTokenOnB() throws Exception {
        Session session = login(a, "alice");
        assertThat(meStatus(a, session.access())).isEqualTo(200);

        given().baseUri(c.baseUri()).auth().oauth2(session.access()).when().post("/auth/logout")
                .then().statusCode(204);

        await("A to reject the logged-out token", PROPAGATION, () -> meStatus(a, session.access()) == 401);
        assertThat(meStatus(b, session.access())).isEqualTo(401);
        assertThat(meStatus(c, session.access())).isEqualTo(401);
        refreshFails(b, session.refresh());
    }

    @Test
    @Order(6)
    void refreshOnB_ofATokenFromA_works_andReusingTheOldOneOnC_revokesTheFamilyEverywhere() throws Exception {
        Session first = login(a, "alice");
        Session second = refresh(b, first.refresh());
        assertThat(meStatus(a, second.access())).isEqualTo(200);

        refreshFails(c, first.refresh());

        refreshFails(a, second.refresh());
        for (ApplicationProcess node : List.of(a, b, c)) {
            await("every node to reject the revoked family's access tokens", PROPAGATION,
                    () -> meStatus(node, second.access()) == 401 && meStatus(node, first.access()) == 401);
        }
        refreshFails(b, second.refresh());
    }

    @Test
    @Order(7)
    void rotateOfOneKidAskedOfEveryNodeAtOnce_rotatesOnce() throws Exception {
        String admin = login(a, "admin").access();
        Ring before = awaitPropagatedPending(admin);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (ApplicationProcess node : List.of(a, b, c)) {
                answers.add(threads.submit(() -> {
                    go.await();
                    return HTTP.send(rotateRequest(node, admin, before.active().kid()),
                            HttpResponse.BodyHandlers.ofString());
                }));
            }
            go.countDown();
            for (Future<HttpResponse<String>> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
        } finally {
            threads.shutdownNow();
        }

        Ring after = awaitSameRing(admin, PROPAGATION);
        assertThat(after.active().kid()).isEqualTo(before.pending().orElseThrow().kid());
        assertThat(after.inState("RETIRED")).hasSize(before.inState("RETIRED").size() + 1)
                .extracting(Key::kid).contains(before.active().kid());
        assertThat(after.keys()).as("one new PENDING key").hasSize(before.keys().size() + 1);
        assertThat(after.pending().orElseThrow().activates()).as("no second rotation is scheduled")
                .isAfter(Instant.now().plus(Duration.ofMinutes(10)));
    }

    @Test
    @Order(8)
    void keyringKeyTable_holdsMaterialOnlyEncryptedUnderTheKek() {
        KeyEncryptionKey key = ClusterNodes.key(kek);
        List<Map<String, Object>> keys = rows(dataSource, "SELECT kid, algorithm, state, kek_id, "
                + "encode(wrapped_material, 'base64') AS wrapped FROM keyring_key");
        assertThat(keys).filteredOn(row -> Set.of("ACTIVE", "PENDING", "RETIRED").contains(row.get("state")))
                .as("keys that sign or verify have material").allMatch(row -> row.get("wrapped") != null)
                .hasSizeGreaterThanOrEqualTo(4);
        String everyStoredByte = rows(dataSource, "SELECT encode(wrapped_material, 'hex') AS w, "
                + "encode(public_key, 'hex') AS p FROM keyring_key").toString();
        for (Map<String, Object> row : keys) {
            if (row.get("wrapped") == null) {
                continue;
            }
            String kid = (String) row.get("kid");
            assertThat(row.get("kek_id")).as("kek_id of %s", kid).isEqualTo(key.id());
            byte[] wrapped = Base64.getMimeDecoder().decode((String) row.get("wrapped"));
            assertThat(wrapped).as("ciphertext of %s", kid).isNotEmpty();
            byte[] secret = key.unwrap(kid, SigningAlgorithm.fromJoseName((String) row.get("algorithm")), wrapped);
            assertThat(secret).isNotEmpty();
            assertThat(everyStoredByte).as("the plaintext of %s", kid).doesNotContain(HexFormat.of().formatHex(secret));
        }
    }

    /**
     * SIGKILL a node a moment after sending it a rotate (at several moments), and once while it starts: the others
     * agree on one ring with one ACTIVE key, the database holds that ring, no lock is left behind, and the killed node
     * restarts and agrees.
     */
    @Test
    @Order(9)
    void nodeKilledWhileRotatingOrStarting_leavesOneConsistentRing_andAgreesAfterRestart() throws Exception {
        for (long killAfterMillis : new long[] { 0, 20, 60 }) {
            String admin = login(a, "admin").access();
            awaitSameRing(admin, Duration.ofSeconds(10));
            CompletableFuture<HttpResponse<String>> answer = HTTP.sendAsync(rotateRequest(c, admin),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(killAfterMillis); // chooses the moment of the crash; nothing waits on an outcome
            c.kill();
            answer.handle((response, failure) -> null).get(30, TimeUnit.SECONDS);

            assertConsistent(admin, a, b);
            rotate(a, admin); // the killed node's transaction holds no lock
            c = startNode();
            c.awaitStarted();
            awaitSameRing(admin, Duration.ofSeconds(10));
        }

        c.close();
        c = startNode();
        ApplicationProcess starting = c;
        await("the starting node to migrate its database", Duration.ofSeconds(60),
                () -> starting.output().contains("is up to date (version"));
        starting.kill();
        String admin = login(a, "admin").access();
        assertConsistent(admin, a, b);
        c = startNode();
        c.awaitStarted();
        assertConsistent(admin, a, b, c);
    }

    private static ApplicationProcess startNode() {
        Map<String, String> properties = ClusterNodes.properties(server, database);
        properties.put("keyring.rotation.period", "PT1H");
        return ClusterNodes.start(properties, kek);
    }

    private static boolean signsWith(ApplicationProcess node, Key key) {
        return kid(node, login(node, "alice").access()).equals(key.kid());
    }

    private static HttpRequest rotateRequest(ApplicationProcess node, String admin) {
        return rotateRequest(node, admin, null);
    }

    /**
     * A rotate request; naming the ACTIVE kid makes it rotate that key or nothing, however late the request arrives
     * after another node's rotation.
     */
    private static HttpRequest rotateRequest(ApplicationProcess node, String admin, String kid) {
        String query = kid == null ? "" : "?kid=" + kid;
        return HttpRequest.newBuilder(URI.create(node.baseUri() + "/admin/keys/rotate" + query))
                .header("Authorization", "Bearer " + admin).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30)).build();
    }

    /** Waits until A, B and C hold the same ring, and returns it. */
    private static Ring awaitSameRing(String admin, Duration timeout) throws InterruptedException {
        return awaitRing("A, B and C to hold the same ring", timeout, admin, ring -> true, a, b, c);
    }

    /** Waits until every node holds the same ring with a PENDING key stored for the reload interval. */
    private static Ring awaitPropagatedPending(String admin) throws InterruptedException {
        return awaitRing("a PENDING key stored for the reload interval, on every node", Duration.ofSeconds(15), admin,
                ring -> ring.pending().map(p -> p.propagated(Instant.now())).orElse(false), a, b, c);
    }

    private static Ring awaitRing(String what, Duration timeout, String admin,
            Predicate<Ring> wanted, ApplicationProcess... nodes) throws InterruptedException {
        AtomicReference<Ring> agreed = new AtomicReference<>();
        List<Ring> seen = new ArrayList<>();
        try {
            await(what, timeout, () -> {
                seen.clear();
                for (ApplicationProcess node : nodes) {
                    seen.add(keys(node, admin));
                }
                agreed.set(seen.get(0));
                return seen.stream().allMatch(seen.get(0)::agrees) && wanted.test(seen.get(0));
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last seen: " + seen, e);
        }
        return agreed.get();
    }

    /** The nodes agree on one ring with exactly one ACTIVE key, and it is the ring in the database. */
    private static void assertConsistent(String admin, ApplicationProcess... nodes) throws InterruptedException {
        Ring ring = awaitRing("the nodes to agree on the ring in the database",
                RELOAD_INTERVAL.plus(PROPAGATION).plusSeconds(2), admin, ClusterIT::isStored, nodes);
        assertThat(ring.inState("ACTIVE")).hasSize(1);
        assertThat(ring.inState("PENDING")).hasSizeLessThanOrEqualTo(1);
    }

    private static boolean isStored(Ring ring) {
        return ClusterNodes.storedRing(dataSource).agrees(ring);
    }
}
