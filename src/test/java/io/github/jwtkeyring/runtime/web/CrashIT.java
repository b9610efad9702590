package io.github.jwtkeyring.runtime.web;

import static io.github.jwtkeyring.runtime.web.ClusterNodes.await;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.keys;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.login;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.meStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jwtkeyring.testing.ApplicationProcess;

/**
 * The packaged application killed with SIGKILL in the middle of logouts and rotations, round after round, on the
 * embedded store: every logout that was answered 204 stays in force after the restart, every rotation that was
 * answered 200 is in the ring, and no temporary file is left behind.
 */
class CrashIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final int ROUNDS = 4;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path directory;

    @Test
    void sigkillDuringLogoutsAndRotations_losesNothingThatWasAcknowledged() throws Exception {
        List<String> loggedOut = new CopyOnWriteArrayList<>();
        List<String> rotatedTo = new CopyOnWriteArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            ApplicationProcess app = start().awaitStarted();
            int target = loggedOut.size() + 3 + round;
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService load = Executors.newFixedThreadPool(2);
            load.submit(() -> logouts(app, running, loggedOut));
            load.submit(() -> rotations(app, running, rotatedTo));
            await("acknowledged logouts to reach " + target, Duration.ofSeconds(60),
                    () -> loggedOut.size() >= target);
            app.kill();
            running.set(false);
            load.shutdown();
            assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

            try (ApplicationProcess restarted = start().awaitStarted()) {
                for (String token : loggedOut) {
                    assertThat(meStatus(restarted, token)).as("a logout answered 204 before a kill").isEqualTo(401);
                }
                List<String> kids = keys(restarted, login(restarted, "admin").access()).keys().stream()
                        .map(ClusterNodes.Key::kid).toList();
                assertThat(kids).as("keys of rotations answered 200").containsAll(rotatedTo);
            }
        }
        assertThat(rotatedTo).isNotEmpty();
        try (var files = Files.list(directory)) {
            assertThat(files.map(path -> path.getFileName().toString())).noneMatch(name -> name.contains(".tmp-"));
        }
    }

    /** Logs in and out as fast as it can; records the access tokens whose logout was answered 204. */
    private static void logouts(ApplicationProcess app, AtomicBoolean running, List<String> loggedOut) {
        while (running.get()) {
            try {
                String token = login(app, "alice").access();
                HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(URI.create(app.baseUri() + "/auth/logout"))
                        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 204) {
                    loggedOut.add(token);
                }
            } catch (Exception | AssertionError e) {
                return; // the process was killed
            }
        }
    }

    /** Rotates (forced) over and over; records the kid that each rotation answered 200 made ACTIVE. */
    private static void rotations(ApplicationProcess app, AtomicBoolean running, List<String> rotatedTo) {
        while (running.get()) {
            try {
                String admin = login(app, "admin").access();
                HttpResponse<String> answer = HTTP.send(
                        HttpRequest.newBuilder(URI.create(app.baseUri() + "/admin/keys/rotate?force=true"))
                                .header("Authorization", "Bearer " + admin).POST(HttpRequest.BodyPublishers.noBody())
                                .timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    rotatedTo.add(ClusterNodes.ring(io.restassured.path.json.JsonPath.from(answer.body())
                            .getList("$")).active().kid());
                }
            } catch (Exception | AssertionError e) {
                return; // the process was killed
            }
        }
    }

    private ApplicationProcess start() {
        Map<String, String> properties = new HashMap<>();
        properties.put("keyring.store.pkcs12.path", directory.resolve("keyring.p12").toString());
        properties.put("quarkus.security.users.embedded.users.alice", "alice");
        properties.put("quarkus.security.users.embedded.roles.alice", "user");
        properties.put("quarkus.security.users.embedded.users.admin", "admin");
        properties.put("quarkus.security.users.embedded.roles.admin", "user,admin");
        return ApplicationProcess.start(properties, Map.of("KEYRING_STORE_PKCS12_PASSWORD", PASSWORD));
    }
}
