package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Password guessing on {@code POST /auth/login} backs off per account and per client address (429 with
 * {@code Retry-After}, the password not even checked), and a real user waits one refill step, not a long lockout.
 */
@QuarkusTest
@TestProfile(LoginThrottleResourceTest.SmallLimits.class)
class LoginThrottleResourceTest {

    /** Three failures per account and six per address, each per 30 s: a refill step of 10 s and 5 s. */
    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyring.login.throttle.account-failures", "3",
                    "keyring.login.throttle.account-period", "PT30S",
                    "keyring.login.throttle.address-failures", "6",
                    "keyring.login.throttle.address-period", "PT30S");
        }
    }

    @Inject
    TestClock clock;

    @BeforeEach
    void refillEveryBucket() {
        clock.advance(Duration.ofMinutes(5));
    }

    @Test
    void guessingOneAccount_getsA429_evenForTheRightPassword_untilOneRefillStepHasPassed() {
        for (int i = 0; i < 3; i++) {
            login("carol", "guess-" + i).then().statusCode(401);
        }

        login("carol", "carol").then().statusCode(429).header("Retry-After", "10").header("Cache-Control", "no-store")
                .body("error", equalTo("too_many_attempts"));
        login("alice", "alice").then().statusCode(200);

        clock.advance(Duration.ofSeconds(10));
        login("carol", "carol").then().statusCode(200);
    }

    @Test
    void guessingManyAccountsFromOneAddress_isThrottledForEveryAccountFromIt() {
        for (int i = 0; i < 6; i++) {
            login("nobody-" + i, "guess").then().statusCode(401);
        }

        login("alice", "alice").then().statusCode(429).header("Retry-After", "5");

        clock.advance(Duration.ofSeconds(5));
        login("alice", "alice").then().statusCode(200);
    }

    private static io.restassured.response.Response login(String user, String password) {
        return given().auth().preemptive().basic(user, password).when().post("/auth/login");
    }
}
