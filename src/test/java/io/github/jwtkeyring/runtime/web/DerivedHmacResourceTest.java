package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.rotation.DerivedHmacKeyRingManager;
import io.github.jwtkeyring.rotation.RotationPolicy;
import io.github.jwtkeyring.testing.MutableClock;
import io.github.jwtkeyring.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Derived HMAC keys through real HTTP: the key of each ten-minute period is derived from a master secret, the previous
 * period's key still verifies, older and later periods' keys do not, and nothing can be rotated by hand or published.
 */
@QuarkusTest
@TestProfile(DerivedHmacResourceTest.DerivedHmac.class)
class DerivedHmacResourceTest {

    private static final byte[] MASTER = masterBytes();
    private static final Duration PERIOD = Duration.ofMinutes(10);
    private static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final Duration SKEW = Duration.ofSeconds(60);

    /** HS256 keys derived per ten-minute period from a fixed master; tokens live five minutes; re-issue is on. */
    public static class DerivedHmac implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyring.algorithm", "HS256",
                    "keyring.hmac.mode", "derived",
                    "keyring.hmac.master-secret", Base64.getEncoder().encodeToString(MASTER),
                    "keyring.rotation.period", PERIOD.toString(),
                    "keyring.token.lifetime", LIFETIME.toString(),
                    "keyring.reissue.enabled", "true");
        }
    }

    @Inject
    TestClock clock;

    @Test
    void tokenIssuedAtTheEndOfAPeriod_stillVerifiesInTheNextPeriod() {
        long n = period(clock.instant()) + 1;
        clock.set(periodStart(n + 1).minusSeconds(30));
        String token = Http.login("alice", "alice");
        assertThat(Http.me(token).getString("kid")).isEqualTo(kid(n));

        clock.set(periodStart(n + 1).plusSeconds(5));

        assertThat(Http.me(token).getString("kid")).isEqualTo(kid(n));
        assertThat(Http.me(Http.login("alice", "alice")).getString("kid")).isEqualTo(kid(n + 1));
    }

    @Test
    void activeKid_namesTheCurrentPeriod() {
        long n = period(clock.instant());
        assertThat(Http.me(Http.login("alice", "alice")).getString("kid"))
                .isEqualTo("HS256-PT10M-" + n).endsWith("-" + n);
    }

    @Test
    void tokenSignedWithTheCurrentOrPreviousPeriodKey_isAccepted() throws JoseException {
        long n = period(clock.instant()) + 1;
        clock.set(periodStart(n).plusSeconds(60));
        assertThat(Http.me(signedWithKeyOfPeriod(n)).getString("kid")).isEqualTo(kid(n));
        // the previous period's key signed until its period ended
        String previous = signedWithKeyOfPeriod(n - 1, periodStart(n).minusSeconds(10));
        assertThat(Http.me(previous).getString("kid")).isEqualTo(kid(n - 1));
    }

    @Test
    void tokenSignedWithTheKeyOfTwoPeriodsBack_isRejected_althoughItHasNotExpired() throws JoseException {
        long n = period(clock.instant());
        Http.assertRejected(signedWithKeyOfPeriod(n - 2));
    }

    @Test
    void tokenSignedWithTheKeyOfAFuturePeriod_isRejected() throws JoseException {
        long n = period(clock.instant());
        Http.assertRejected(signedWithKeyOfPeriod(n + 2));
    }

    @Test
    void nextPeriodKey_verifiesOnlyWithinTheClockSkewBeforeItsPeriod() throws JoseException {
        long n = period(clock.instant()) + 1;
        clock.set(periodStart(n).plus(PERIOD.dividedBy(2)));
        Http.assertRejected(signedWithKeyOfPeriod(n + 1));

        clock.set(periodStart(n + 1).minus(SKEW).plusSeconds(10));
        assertThat(Http.me(signedWithKeyOfPeriod(n + 1)).getString("kid")).isEqualTo(kid(n + 1));
    }

    @Test
    void reissue_givesATokenOfThePreviousPeriodOneOnTheCurrentPeriod_butLeavesANextPeriodTokenAlone()
            throws JoseException {
        long n = period(clock.instant()) + 1;
        clock.set(periodStart(n).plusSeconds(60));
        String previous = signedWithKeyOfPeriod(n - 1, periodStart(n).minusSeconds(10));

        String fresh = given().auth().oauth2(previous).when().get("/api/me")
                .then().statusCode(200).extract().header(ReissueFilter.HEADER);
        assertThat(Http.me(fresh).getString("kid")).isEqualTo(kid(n));

        clock.set(periodStart(n + 1).minus(SKEW).plusSeconds(10));
        given().auth().oauth2(signedWithKeyOfPeriod(n + 1)).when().get("/api/me")
                .then().statusCode(200).header(ReissueFilter.HEADER, org.hamcrest.Matchers.nullValue());
    }

    @Test
    void rotate_isUnsupported() {
        given().auth().oauth2(Http.login("admin", "admin")).when().post("/admin/keys/rotate")
                .then().statusCode(409).body("error", equalTo("unsupported_operation"));
    }

    @Test
    void jwks_publishesNoKeys() {
        assertThat(given().when().get("/.well-known/jwks.json").then().statusCode(200).extract().jsonPath()
                .getList("keys")).isEmpty();
    }

    /**
     * A token for alice that expires in four minutes, signed with the key of period {@code n} as another node with the
     * same master would derive it.
     */
    /** A token of period {@code n}'s key, issued now. */
    private String signedWithKeyOfPeriod(long n) throws JoseException {
        return signedWithKeyOfPeriod(n, clock.instant());
    }

    /** A token of period {@code n}'s key, issued at {@code now} and valid for four minutes. */
    private String signedWithKeyOfPeriod(long n, Instant now) throws JoseException {
        MutableClock periodClock = new MutableClock(periodStart(n));
        RotationPolicy policy = new RotationPolicy(SigningAlgorithm.HS256, PERIOD, PERIOD.dividedBy(2), LIFETIME,
                SKEW);
        ManagedKey key = new DerivedHmacKeyRingManager(policy, 1, MASTER, periodClock).current().active();
        assertThat(key.kid()).isEqualTo(kid(n));

        JwtClaims claims = new JwtClaims();
        claims.setIssuer("jwt-keyring");
        claims.setAudience("jwt-keyring");
        claims.setSubject("alice");
        claims.setStringListClaim("groups", "user");
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(Duration.ofMinutes(4)).getEpochSecond()));

        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue("HS256");
        jws.setKeyIdHeaderValue(key.kid());
        jws.setHeader("typ", "at+jwt");
        jws.setKey(key.requireMaterial().signingKey());
        return jws.getCompactSerialization();
    }

    private static long period(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), PERIOD.toSeconds());
    }

    private static Instant periodStart(long n) {
        return Instant.ofEpochSecond(n * PERIOD.toSeconds());
    }

    private static String kid(long n) {
        return "HS256-" + PERIOD + "-" + n;
    }

    private static byte[] masterBytes() {
        byte[] master = new byte[32];
        IntStream.range(0, master.length).forEach(i -> master[i] = (byte) (i * 7 + 3));
        return master;
    }
}
