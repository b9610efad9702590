package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.runtime.jwt.BearerRequests;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * {@code keyring.verify.other-issuers=delegate}: an application that also accepts a second issuer's tokens configures
 * that issuer for SmallRye JWT as usual ({@code mp.jwt.verify.publickey}, {@code mp.jwt.verify.issuer}); its tokens
 * reach the same {@code @RolesAllowed} endpoints, while tokens naming the ring's issuer are still verified by the ring
 * alone.
 */
@QuarkusTest
@TestProfile(OtherIssuersResourceTest.Delegate.class)
class OtherIssuersResourceTest {

    private static final String PARTNER = "https://partner.example";
    private static final KeyPair STRANGER_KEY = rsa();

    /** The partner's public key, as an application would configure it. */
    public static class Delegate implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(partnerKey().getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----";
            return Map.of("keyring.verify.other-issuers", "delegate",
                    "mp.jwt.verify.publickey", pem,
                    "mp.jwt.verify.issuer", PARTNER);
        }
    }

    @Test
    void tokenOfTheConfiguredSecondIssuer_isAccepted_byTheApplicationsRolesAllowedEndpoint() throws Exception {
        String token = sign(partnerKey(), PARTNER, "partner-user");

        given().auth().oauth2(token).when().get("/api/me").then().statusCode(200);
        assertThat(Http.me(token).getString("sub")).isEqualTo("partner-user");
    }

    @Test
    void tokenOfTheSecondIssuer_signedWithAnotherKey_getsTheUniform401() throws Exception {
        Http.assertRejected(sign(STRANGER_KEY, PARTNER, "mallory"));
    }

    @Test
    void tokenNamingTheRingsIssuer_signedWithTheSecondIssuersKey_isVerifiedByTheRingAndRejected() throws Exception {
        Http.assertRejected(sign(partnerKey(), "jwt-keyring", "mallory"));
    }

    @Test
    void theRingsOwnTokens_stillWork() {
        assertThat(Http.me(Http.login("alice", "alice")).getString("sub")).isEqualTo("alice");
    }

    @Test
    void aRequestWithoutAToken_keepsThePlainBearerChallenge() {
        String challenge = given().when().get("/api/me").then().statusCode(401).extract().header("WWW-Authenticate");
        assertThat(challenge).isNotEqualTo(BearerRequests.CHALLENGE);
    }

    private static String sign(KeyPair key, String issuer, String subject) throws JoseException {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience("jwt-keyring");
        claims.setSubject(subject);
        claims.setStringListClaim("groups", List.of("user"));
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        claims.setGeneratedJwtId();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        jws.setKey(key.getPrivate());
        return jws.getCompactSerialization();
    }

    /**
     * The partner's key pair, kept in a file: the test profile and the test run in different class loaders, and both
     * need the same key.
     */
    private static synchronized KeyPair partnerKey() {
        Path directory = Path.of("target", "other-issuer-key");
        try {
            if (!Files.exists(directory.resolve("private.der"))) {
                KeyPair generated = rsa();
                Files.createDirectories(directory);
                Files.write(directory.resolve("public.der"), generated.getPublic().getEncoded());
                Files.write(directory.resolve("private.der"), generated.getPrivate().getEncoded());
            }
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            return new KeyPair(
                    rsa.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(directory.resolve("public.der")))),
                    rsa.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(directory.resolve("private.der")))));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
