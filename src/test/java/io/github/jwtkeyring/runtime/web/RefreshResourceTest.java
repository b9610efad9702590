package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Refresh tokens through real HTTP: rotation, reuse detection, concurrency, expiry, and the two token types kept apart.
 */
@QuarkusTest
class RefreshResourceTest {

    @Inject
    TestClock clock;

    @Test
    void login_returnsOpaqueRefreshTokenWithItsLifetime() {
        JsonPath login = Http.loginResponse("alice", "alice");
        assertThat(login.getString("refresh_token")).matches("[A-Za-z0-9_-]{43}");
        assertThat(login.getLong("refresh_expires_in")).isEqualTo(8 * 3600);
    }

    @Test
    void refresh_returnsNewAccessAndRefreshToken_andTheOldRefreshTokenStopsWorking() {
        JsonPath login = Http.loginResponse("alice", "alice");
        JsonPath refreshed = Http.refresh(login.getString("refresh_token"));

        assertThat(refreshed.getString("access_token")).isNotEqualTo(login.getString("access_token"));
        assertThat(refreshed.getString("refresh_token")).isNotEqualTo(login.getString("refresh_token"));
        assertThat(refreshed.getString("token_type")).isEqualTo("Bearer");
        assertThat(Http.me(refreshed.getString("access_token")).getString("sub")).isEqualTo("alice");
        assertThat(Http.me(refreshed.getString("access_token")).getList("groups")).containsExactly("user");

        Http.refreshFails(login.getString("refresh_token"), "invalid_grant");
    }

    @Test
    void reuseOfSupersededRefreshToken_revokesTheWholeFamily() {
        JsonPath login = Http.loginResponse("alice", "alice");
        JsonPath second = Http.refresh(login.getString("refresh_token"));
        JsonPath third = Http.refresh(second.getString("refresh_token"));
        Http.me(third.getString("access_token"));

        Http.refreshFails(login.getString("refresh_token"), "invalid_grant");

        Http.assertRejected(third.getString("access_token"));
        Http.assertRejected(second.getString("access_token"));
        Http.refreshFails(third.getString("refresh_token"), "invalid_grant");
    }

    @Test
    void concurrentRefreshesOfOneToken_exactlyOneSucceeds() throws Exception {
        String refreshToken = Http.loginResponse("alice", "alice").getString("refresh_token");
        int callers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            Callable<Integer> refresh = () -> {
                start.await();
                return given().formParam("refresh_token", refreshToken).when().post("/auth/refresh").statusCode();
            };
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(refresh));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : results) {
                statuses.add(result.get());
            }
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 400).hasSize(callers - 1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void expiredRefreshToken_isInvalidGrant() {
        String refreshToken = Http.loginResponse("alice", "alice").getString("refresh_token");
        clock.set(clock.instant().plusSeconds(8 * 3600));
        Http.refreshFails(refreshToken, "invalid_grant");
    }

    @Test
    void accessTokenAsRefreshToken_isInvalidGrant() {
        String accessToken = Http.login("alice", "alice");
        Http.refreshFails(accessToken, "invalid_grant");
    }

    @Test
    void refreshTokenAsBearerToken_is401() {
        String refreshToken = Http.loginResponse("alice", "alice").getString("refresh_token");
        Http.assertRejected(refreshToken);
    }

    @Test
    void refreshWithoutToken_isInvalidRequest() {
        given().formParam("grant_type", "refresh_token").when().post("/auth/refresh")
                .then().statusCode(400).header("Cache-Control", "no-store").body("error", equalTo("invalid_request"));
    }

    @Test
    void refreshWithAnotherGrantType_isUnsupportedGrantType() {
        String refreshToken = Http.loginResponse("alice", "alice").getString("refresh_token");
        given().formParam("grant_type", "password").formParam("refresh_token", refreshToken)
                .when().post("/auth/refresh")
                .then().statusCode(400).body("error", equalTo("unsupported_grant_type"));
    }
}
