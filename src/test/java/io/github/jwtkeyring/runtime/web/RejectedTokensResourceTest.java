package io.github.jwtkeyring.runtime.web;

import static io.github.jwtkeyring.runtime.web.KeyLifecycleResourceTest.assertRejected;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;

import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.testing.RawTokens;
import io.github.jwtkeyring.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Every forged, altered or out-of-policy token gets the same 401 with {@code Bearer error="invalid_token"} and an
 * empty body, so a client learns nothing about why.
 */
@QuarkusTest
class RejectedTokensResourceTest {

    @Inject
    KeyRingManager manager;

    @Inject
    TestClock clock;

    @Test
    void tamperedPayload_isRejected() {
        String[] parts = Http.login("alice", "alice").split("\\.");
        String forgedPayload = b64(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"user\"", "\"admin\""));
        assertRejected(given().auth().oauth2(parts[0] + "." + forgedPayload + "." + parts[2]).when().get("/api/me"));
    }

    @Test
    void algNone_isRejected() {
        ManagedKey active = manager.current().active();
        String header = b64("{\"alg\":\"none\",\"kid\":\"" + active.kid() + "\",\"typ\":\"at+jwt\"}");
        assertRejected(given().auth().oauth2(header + "." + b64(claims("alice").toJson()) + ".")
                .when().get("/api/me"));
    }

    @Test
    void hs256SignedWithThePublishedPublicKey_isRejected() throws Exception {
        ManagedKey active = manager.current().active();
        byte[] publicKey = active.requireMaterial().publicKey().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(publicKey)
                + "\n-----END PUBLIC KEY-----\n";
        for (byte[] secret : new byte[][] { publicKey, pem.getBytes(StandardCharsets.US_ASCII) }) {
            JsonWebSignature jws = jws(claims("alice"), "HS256", active.kid());
            jws.setKey(new HmacKey(secret));
            jws.setDoKeyValidation(false);
            assertRejected(given().auth().oauth2(jws.getCompactSerialization()).when().get("/api/me"));
        }
    }

    @Test
    void unknownKid_isRejected() throws Exception {
        JsonWebSignature jws = jws(claims("alice"), "ES256", "attacker-key");
        jws.setKey(attackerKeys().getPrivate());
        assertRejected(given().auth().oauth2(jws.getCompactSerialization()).when().get("/api/me"));
    }

    @Test
    void embeddedJwkHeader_isNeverTrusted() throws Exception {
        KeyPair attacker = attackerKeys();
        JsonWebSignature jws = jws(claims("alice"), "ES256", manager.current().active().kid());
        jws.setJwkHeader(PublicJsonWebKey.Factory.newPublicJwk(attacker.getPublic()));
        jws.setKey(attacker.getPrivate());
        assertRejected(given().auth().oauth2(jws.getCompactSerialization()).when().get("/api/me"));
    }

    @Test
    void validSignatureButJkuHeader_isRejected() throws Exception {
        JsonWebSignature jws = signedByActiveKey(claims("alice"));
        jws.setHeader("jku", "https://attacker.example/jwks.json");
        assertRejected(given().auth().oauth2(jws.getCompactSerialization()).when().get("/api/me"));
    }

    @Test
    void validSignatureButWrongIssuerAudienceOrType_isRejected() throws Exception {
        JwtClaims wrongIssuer = claims("alice");
        wrongIssuer.setIssuer("someone-else");
        assertRejected(given().auth().oauth2(signedByActiveKey(wrongIssuer).getCompactSerialization())
                .when().get("/api/me"));

        JwtClaims wrongAudience = claims("alice");
        wrongAudience.setAudience("another-service");
        assertRejected(given().auth().oauth2(signedByActiveKey(wrongAudience).getCompactSerialization())
                .when().get("/api/me"));

        JsonWebSignature plainJwt = signedByActiveKey(claims("alice"));
        plainJwt.setHeader("typ", "JWT");
        assertRejected(given().auth().oauth2(plainJwt.getCompactSerialization()).when().get("/api/me"));
    }

    @Test
    void expiredToken_isRejected_onceTheClockPassesExpPlusSkew() {
        String token = Http.login("alice", "alice");
        Duration lifetime = manager.policy().tokenLifetime();
        clock.advance(lifetime);
        Http.me(token);
        clock.advance(manager.policy().clockSkew().plusSeconds(1));
        assertRejected(given().auth().oauth2(token).when().get("/api/me"));
    }

    @Test
    void garbage_isRejected() {
        assertRejected(given().auth().oauth2("not-a-jwt").when().get("/api/me"));
        assertRejected(given().auth().oauth2("a.b.c").when().get("/api/me"));
    }

    /**
     * The strict token profile through HTTP: each class of token it refuses (README, "Security") gets exactly the 401
     * that plain garbage gets, status, headers and empty body, so a client learns nothing about which rule it broke.
     */
    @Test
    void everyClassTheStrictProfileRefuses_getsTheIdentical401() throws Exception {
        ManagedKey key = manager.current().active();
        Instant now = clock.instant();
        String valid = Http.login("alice", "alice");
        Http.me(valid);
        String[] parts = valid.split("\\.");
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        String header = "{\"alg\":\"" + key.algorithm().joseName() + "\",\"kid\":\"" + key.kid()
                + "\",\"typ\":\"at+jwt\"";
        String claims = "{\"iss\":\"jwt-keyring\",\"aud\":\"jwt-keyring\",\"sub\":\"alice\",\"jti\":\"strict-"
                + now.toEpochMilli() + "\",\"groups\":[\"user\"],\"iat\":" + now.getEpochSecond() + ",\"exp\":";
        long exp = now.plusSeconds(60).getEpochSecond();

        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("padding", valid + "==");
        refused.put("standard base64", valid.replace('-', '+').replace('_', '/') + "+");
        refused.put("unused bits", parts[0] + "." + parts[1] + "." + RawTokens.withUnusedBitSet(parts[2]));
        refused.put("a space inside", parts[0] + "." + parts[1] + ". " + parts[2]);
        refused.put("a trailing non-ASCII character", valid + "\u00e9");
        refused.put("a signature one byte longer", parts[0] + "." + parts[1] + "."
                + RawTokens.b64(Arrays.copyOf(signature, signature.length + 1)));
        refused.put("zip header", RawTokens.signed(key, header + ",\"zip\":\"DEF\"}", claims + exp + "}"));
        refused.put("cty header", RawTokens.signed(key, header + ",\"cty\":\"JWT\"}", claims + exp + "}"));
        refused.put("duplicate kid", RawTokens.signed(key, header + ",\"kid\":\"" + key.kid() + "\"}",
                claims + exp + "}"));
        refused.put("exp 1e308", RawTokens.signed(key, header + "}", claims + "1e308}"));
        refused.put("a 30-day lifetime", RawTokens.signed(key, header + "}",
                claims + now.plus(Duration.ofDays(30)).getEpochSecond() + "}"));
        refused.put("iat 30 days old", RawTokens.signed(key, header + "}", claims.replace(
                "\"iat\":" + now.getEpochSecond(), "\"iat\":" + now.minus(Duration.ofDays(30)).getEpochSecond())
                + exp + "}"));
        refused.put("9 KB", RawTokens.signed(key, header + "}", claims + exp + ",\"pad\":\"" + "x".repeat(9000)
                + "\"}"));

        Response reference = given().auth().oauth2("garbage").when().get("/api/me");
        assertRejected(reference);
        for (Map.Entry<String, String> token : refused.entrySet()) {
            Response response = given().auth().oauth2(token.getValue()).when().get("/api/me");
            assertRejected(response);
            assertThat(headers(response)).as(token.getKey()).isEqualTo(headers(reference));
        }
    }

    @Test
    void aRetiredKey_cannotSignTokensDatedAfterItStopped() {
        ManagedKey retired = manager.current().active();
        String before = Http.login("alice", "alice");
        manager.rotate(retired.kid(), true);
        clock.advance(manager.policy().clockSkew().plusSeconds(1));
        Instant now = clock.instant();
        String minted = RawTokens.signed(retired, "{\"alg\":\"" + retired.algorithm().joseName() + "\",\"kid\":\""
                + retired.kid() + "\",\"typ\":\"at+jwt\"}",
                "{\"iss\":\"jwt-keyring\",\"aud\":\"jwt-keyring\","
                        + "\"sub\":\"alice\",\"jti\":\"minted\",\"iat\":" + now.getEpochSecond() + ",\"exp\":"
                        + now.plusSeconds(60).getEpochSecond() + "}");

        Http.me(before);
        assertRejected(given().auth().oauth2(minted).when().get("/api/me"));
    }

    /** Every response header but {@code Date}, which moves with the second. */
    private static Map<String, List<String>> headers(Response response) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        response.headers().asList().stream().filter(h -> !h.getName().equalsIgnoreCase("Date"))
                .forEach(h -> headers.computeIfAbsent(h.getName(), n -> new ArrayList<>()).add(h.getValue()));
        return headers;
    }

    private JsonWebSignature signedByActiveKey(JwtClaims claims) {
        ManagedKey active = manager.current().active();
        JsonWebSignature jws = jws(claims, active.algorithm().joseName(), active.kid());
        jws.setKey(active.requireMaterial().signingKey());
        return jws;
    }

    private JwtClaims claims(String subject) {
        Instant now = clock.instant();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("jwt-keyring");
        claims.setAudience("jwt-keyring");
        claims.setSubject(subject);
        claims.setStringListClaim("groups", "user", "admin");
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plusSeconds(300).getEpochSecond()));
        claims.setJwtId("forged-" + now.toEpochMilli());
        return claims;
    }

    private static JsonWebSignature jws(JwtClaims claims, String alg, String kid) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(alg);
        jws.setKeyIdHeaderValue(kid);
        jws.setHeader("typ", "at+jwt");
        return jws;
    }

    private static KeyPair attackerKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

}
