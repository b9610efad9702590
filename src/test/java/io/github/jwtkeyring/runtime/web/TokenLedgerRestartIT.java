package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jwtkeyring.runtime.jwt.BearerRequests;
import io.github.jwtkeyring.testing.ApplicationProcess;
import io.restassured.path.json.JsonPath;

/**
 * The token ledger of the embedded default store (PKCS#12 keystore plus file journal) across a restart of the
 * packaged application in the prod profile: revocations and refresh-token families survive, the journal holds only
 * hashes and is owner-only, and a damaged journal stops startup without being touched.
 */
class TokenLedgerRestartIT {

    private static final String PASSWORD = "correct horse battery staple";
    /**
     * The journal's 8-byte magic and 16-byte header (the acknowledged length), then records of
     * [length: int][CRC32C of length: int][CRC32C: int][payload].
     */
    private static final int HEADER_LENGTH = 24;
    private static final int RECORD_HEADER = 12;

    /** One login's tokens. */
    private record Session(String access, String refresh) {
    }

    @TempDir
    Path directory;

    @Test
    void restart_keepsRevocationsAndRefreshFamilies() throws Exception {
        Session a;
        Session aRefreshed;
        Session b;
        Session c;
        Session carol;
        try (ApplicationProcess app = start().awaitStarted()) {
            a = login(app, "alice");
            b = login(app, "alice");
            aRefreshed = refresh(app, a.refresh());
            given().baseUri(app.baseUri()).auth().oauth2(b.access()).when().post("/auth/logout")
                    .then().statusCode(204);
            c = login(app, "alice");
            given().baseUri(app.baseUri()).auth().oauth2(login(app, "admin").access())
                    .formParam("jti", claims(c.access()).getString("jti"))
                    .when().post("/admin/tokens/revoke").then().statusCode(204);
            carol = login(app, "carol");
            given().baseUri(app.baseUri()).auth().oauth2(carol.access()).when().post("/auth/logout-all")
                    .then().statusCode(204);

            assertRejected(app, b.access());
            assertRejected(app, c.access());
            assertRejected(app, carol.access());
            me(app, aRefreshed.access());
        }
        List<String> tokens = List.of(a.access(), a.refresh(), aRefreshed.access(), aRefreshed.refresh(), b.access(),
                b.refresh(), c.access(), c.refresh(), carol.access(), carol.refresh());
        assertJournalHoldsOnlyHashes(tokens, aRefreshed.refresh());

        try (ApplicationProcess app = start().awaitStarted()) {
            assertRejected(app, b.access());
            refreshFails(app, b.refresh());
            assertRejected(app, c.access());
            assertRejected(app, carol.access());
            refreshFails(app, carol.refresh());

            Session aNext = refresh(app, aRefreshed.refresh());
            assertThat(me(app, aNext.access()).getString("sub")).isEqualTo("alice");

            refreshFails(app, a.refresh());
            assertRejected(app, aNext.access());
            refreshFails(app, aNext.refresh());
        }
        assertJournalHoldsOnlyHashes(tokens, aRefreshed.refresh());
    }

    @Test
    void restart_aTokenRevokedByJti_leavesItsRefreshFamilyUsable() throws Exception {
        Session session;
        try (ApplicationProcess app = start().awaitStarted()) {
            session = login(app, "alice");
            given().baseUri(app.baseUri()).auth().oauth2(login(app, "admin").access())
                    .formParam("jti", claims(session.access()).getString("jti"))
                    .when().post("/admin/tokens/revoke").then().statusCode(204);
        }
        try (ApplicationProcess app = start().awaitStarted()) {
            assertRejected(app, session.access());
            me(app, refresh(app, session.refresh()).access());
        }
    }

    @Test
    void damagedJournal_stopsStartupClearly_andLeavesTheFileUntouched() throws Exception {
        List<int[]> records = journalWithSeveralRecords();
        int[] middle = records.get(records.size() / 2);
        byte[] damaged = Files.readAllBytes(journal());
        int payloadMiddle = middle[0] + RECORD_HEADER + middle[1] / 2;
        damaged[payloadMiddle] ^= 0x5a;
        damaged[payloadMiddle + 1] ^= 0x5a;
        Files.write(journal(), damaged);

        ApplicationProcess app = start();
        assertStartupFails(app);

        assertThat(app.output()).contains("The token ledger journal " + journal() + " is damaged at byte " + middle[0]);
        assertThat(Files.readAllBytes(journal())).isEqualTo(damaged);
    }

    /**
     * A damaged length field in the middle that claims more bytes than the file has looks like a torn last record;
     * taking it for one would silently drop every later record, revocations included, and the compaction at startup
     * would make the loss permanent.
     */
    @Test
    void damagedRecordLength_stopsStartupClearly_andLeavesTheFileUntouched() throws Exception {
        List<int[]> records = journalWithSeveralRecords();
        int[] middle = records.get(records.size() / 2);
        byte[] damaged = Files.readAllBytes(journal());
        damaged[middle[0] + 2] ^= 0x10;
        assertThat(ByteBuffer.wrap(damaged, middle[0], 4).getInt()).as("the length now points past the end")
                .isGreaterThan(damaged.length - middle[0] - RECORD_HEADER);
        Files.write(journal(), damaged);

        ApplicationProcess app = start();
        assertStartupFails(app);

        assertThat(app.output()).contains("The token ledger journal " + journal() + " is damaged at byte " + middle[0]);
        assertThat(Files.readAllBytes(journal())).isEqualTo(damaged);
    }

    /** Fails at once, rather than after a timeout, if the application starts. */
    private static void assertStartupFails(ApplicationProcess app) throws InterruptedException {
        try {
            assertThatThrownBy(app::awaitStarted).hasMessageStartingWith("The application exited with");
        } finally {
            app.close();
        }
        assertThat(app.awaitExit()).isNotZero();
    }

    /** Runs the application once through logins, refreshes and a logout-all; returns the journal's records. */
    private List<int[]> journalWithSeveralRecords() throws Exception {
        try (ApplicationProcess app = start().awaitStarted()) {
            Session first = login(app, "alice");
            Session second = refresh(app, first.refresh());
            refresh(app, second.refresh());
            given().baseUri(app.baseUri()).auth().oauth2(login(app, "carol").access()).when()
                    .post("/auth/logout-all").then().statusCode(204);
            login(app, "alice");
        }
        List<int[]> records = records(Files.readAllBytes(journal()));
        assertThat(records).hasSizeGreaterThanOrEqualTo(5);
        return records;
    }

    private void assertJournalHoldsOnlyHashes(List<String> tokens, String liveRefreshToken) throws Exception {
        assertThat(journal()).isRegularFile().hasParent(keystore().getParent());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(journal()))).isEqualTo("rw-------");
        String journal = new String(Files.readAllBytes(journal()), StandardCharsets.ISO_8859_1);
        for (String token : tokens) {
            assertThat(journal).doesNotContain(token);
            String[] parts = token.split("\\.");
            assertThat(journal).doesNotContain(parts[parts.length - 1]);
        }
        // the journal does hold the live refresh token's hash: the checks above look in the right place
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(liveRefreshToken.getBytes(StandardCharsets.US_ASCII));
        assertThat(journal).contains(Base64.getUrlEncoder().withoutPadding().encodeToString(hash));
    }

    /** The journal's records as {offset, payload length}, read the way the journal frames them. */
    private static List<int[]> records(byte[] bytes) {
        List<int[]> records = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.wrap(bytes).position(HEADER_LENGTH);
        while (buffer.hasRemaining()) {
            int offset = buffer.position();
            int length = buffer.getInt();
            buffer.position(offset + RECORD_HEADER + length);
            records.add(new int[] { offset, length });
        }
        return records;
    }

    private ApplicationProcess start() {
        Map<String, String> properties = new HashMap<>();
        properties.put("keyring.store.pkcs12.path", keystore().toString());
        for (String user : List.of("alice", "carol")) {
            properties.put("quarkus.security.users.embedded.users." + user, user);
            properties.put("quarkus.security.users.embedded.roles." + user, "user");
        }
        properties.put("quarkus.security.users.embedded.users.admin", "admin");
        properties.put("quarkus.security.users.embedded.roles.admin", "user,admin");
        return ApplicationProcess.start(properties, Map.of("KEYRING_STORE_PKCS12_PASSWORD", PASSWORD));
    }

    private Path keystore() {
        return directory.resolve("keyring.p12");
    }

    private Path journal() {
        return directory.resolve("keyring.p12.journal");
    }

    private static Session login(ApplicationProcess app, String user) {
        JsonPath body = given().baseUri(app.baseUri()).auth().preemptive().basic(user, user)
                .when().post("/auth/login").then().statusCode(200).extract().jsonPath();
        return new Session(body.getString("access_token"), body.getString("refresh_token"));
    }

    private static Session refresh(ApplicationProcess app, String refreshToken) {
        JsonPath body = given().baseUri(app.baseUri()).formParam("refresh_token", refreshToken)
                .when().post("/auth/refresh").then().statusCode(200).extract().jsonPath();
        return new Session(body.getString("access_token"), body.getString("refresh_token"));
    }

    private static void refreshFails(ApplicationProcess app, String refreshToken) {
        given().baseUri(app.baseUri()).formParam("refresh_token", refreshToken)
                .when().post("/auth/refresh").then().statusCode(400)
                .body("error", equalTo("invalid_grant"));
    }

    private static JsonPath me(ApplicationProcess app, String token) {
        return given().baseUri(app.baseUri()).auth().oauth2(token).when().get("/api/me")
                .then().statusCode(200).extract().jsonPath();
    }

    private static void assertRejected(ApplicationProcess app, String token) {
        given().baseUri(app.baseUri()).auth().oauth2(token).when().get("/api/me")
                .then().statusCode(401).header("WWW-Authenticate", BearerRequests.CHALLENGE);
    }

    private static JsonPath claims(String token) {
        return new JsonPath(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    }
}
