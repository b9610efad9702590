package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Re-issue is off by default: a token on a RETIRED key keeps working, and nothing is added to the response.
 */
@QuarkusTest
class ReissueDisabledResourceTest {

    @Test
    void tokenOnRetiredKey_isAcceptedWithoutReissuedToken() {
        String oldToken = Http.login("alice", "alice");
        String oldKid = Http.me(oldToken).getString("kid");

        ReissueResourceTest.rotate();

        given().auth().oauth2(oldToken).when().get("/api/me")
                .then().statusCode(200).body("kid", equalTo(oldKid)).header(ReissueFilter.HEADER, nullValue());
    }
}
