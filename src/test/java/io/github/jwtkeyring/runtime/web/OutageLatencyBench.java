package io.github.jwtkeyring.runtime.web;

import static io.github.jwtkeyring.runtime.web.ClusterNodes.login;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.testing.ApplicationProcess;
import io.github.jwtkeyring.testing.PostgresServer;

/**
 * A measurement, not a test (no assertion; not run by the test command): how long a login takes on a packaged cluster
 * node while its PostgreSQL server is stopped. Run with
 * {@code ./mvnw verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=OutageLatencyBench
 * -Dinvoker.skip=true}; the figures are in BENCHMARKS.md.
 */
class OutageLatencyBench {

    private static final int LOGINS = 20;

    @Test
    void loginLatency_beforeAndDuringAnOutage() throws Exception {
        String kek = ClusterNodes.randomKek();
        try (PostgresServer server = PostgresServer.start()) {
            Map<String, String> properties = ClusterNodes.properties(server, server.createDatabase());
            try (ApplicationProcess node = ClusterNodes.started(properties, kek)) {
                measure("database up", node);
                server.stop();
                measure("database down", node);
            }
        }
    }

    private static void measure(String phase, ApplicationProcess node) {
        StringBuilder millis = new StringBuilder();
        for (int i = 0; i < LOGINS; i++) {
            long start = System.nanoTime();
            login(node, "alice");
            millis.append(String.format(" %.0f", (System.nanoTime() - start) / 1e6));
        }
        System.out.println("outage-latency " + phase + ": login ms" + millis);
    }
}
