package io.github.jwtkeyring.runtime.web;

import static io.github.jwtkeyring.runtime.web.ClusterNodes.await;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.databaseState;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.kid;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.login;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.meStatus;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.refreshFails;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.runtime.web.ClusterNodes.Session;
import io.github.jwtkeyring.testing.ApplicationProcess;
import io.github.jwtkeyring.testing.PostgresServer;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A cluster node through a PostgreSQL outage (a private server, stopped and started again): it keeps verifying and
 * issuing access tokens, answers 503 {@code temporarily_unavailable} to every change it cannot store, stays ready
 * while saying {@code database: unreachable}, and catches up by itself when the database returns.
 */
class DatabaseOutageIT {

    /** How soon a node notices the database went away or came back: its listener retries every second. */
    private static final Duration NOTICE = Duration.ofSeconds(10);

    @Test
    void outage_keepsTokensWorking_refusesChanges_andTheNodeCatchesUpAfterwards() throws Exception {
        String kek = ClusterNodes.randomKek();
        try (PostgresServer server = PostgresServer.start()) {
            Map<String, String> properties = ClusterNodes.properties(server, server.createDatabase());
            try (ApplicationProcess node = ClusterNodes.started(properties, kek)) {
                Session before = login(node, "alice");
                String admin = login(node, "admin").access();
                String activeKid = kid(node, before.access());
                assertThat(databaseState(node)).isEqualTo("reachable");

                server.stop();

                assertThat(kid(node, before.access())).isEqualTo(activeKid);
                Session during = login(node, "alice");
                assertThat(during.refresh()).as("no refresh token without the ledger").isNull();
                assertThat(kid(node, during.access())).isEqualTo(activeKid);
                assertUnavailable(bearer(node, before.access()).post("/auth/logout"));
                assertUnavailable(given().baseUri(node.baseUri()).formParam("refresh_token", before.refresh())
                        .post("/auth/refresh"));
                assertUnavailable(bearer(node, admin).post("/admin/keys/rotate"));
                await("readiness to report the database unreachable", NOTICE,
                        () -> "unreachable".equals(databaseState(node)));
                assertThat(ClusterNodes.warnings(node)).contains("database-unreachable");
                assertThat(node.output()).as("requests fail fast while the database is away")
                        .contains("is unreachable: requests that need it are refused at once");

                server.restart();

                await("readiness to report the database reachable", NOTICE,
                        () -> "reachable".equals(databaseState(node)));
                assertThat(ClusterNodes.warnings(node)).doesNotContain("database-unreachable");
                assertThat(node.output()).contains("answers again");
                bearer(node, before.access()).post("/auth/logout").then().statusCode(204);
                assertThat(meStatus(node, before.access())).isEqualTo(401);
                refreshFails(node, before.refresh());
                assertThat(meStatus(node, during.access())).isEqualTo(200);

                try (ApplicationProcess second = ClusterNodes.started(properties, kek)) {
                    assertThat(meStatus(second, before.access())).as("the revocation reached the database")
                            .isEqualTo(401);
                    refreshFails(second, before.refresh());
                    assertThat(kid(second, during.access())).isEqualTo(activeKid);
                }
            }
        }
    }

    private static RequestSpecification bearer(ApplicationProcess node, String token) {
        return given().baseUri(node.baseUri()).auth().oauth2(token).when();
    }

    private static void assertUnavailable(Response response) {
        response.then().statusCode(503).header("Retry-After", "5").body("error", equalTo("temporarily_unavailable"));
    }
}
