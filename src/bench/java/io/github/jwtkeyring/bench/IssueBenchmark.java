package io.github.jwtkeyring.bench;

import java.security.Key;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.github.jwtkeyring.issue.AccessTokenRequest;
import io.github.jwtkeyring.issue.IssuedToken;
import io.github.jwtkeyring.issue.Jose4jTokenIssuer;
import io.github.jwtkeyring.issue.TokenIssuer;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.rotation.KeyRingManager;

/**
 * Issuing one access token per algorithm: the key ring's {@link Jose4jTokenIssuer#issue} ({@code keyring}) against
 * jose4j used directly ({@code jose4j}) with the same key, the same claims and headers and the same kind of random
 * {@code jti}, serialized with {@code getCompactSerialization()}. The difference is what the ring adds: choosing the
 * ACTIVE key, recording the lifetime, and the request and result values.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class IssueBenchmark {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    @Param({ "HS256", "RS256", "PS256", "ES256", "EdDSA" })
    public String alg;

    private InstantSource clock;
    private Jose4jTokenIssuer issuer;
    private AccessTokenRequest request;
    private String algorithmName;
    private String kid;
    private Key signingKey;

    @Setup
    public void setUp() {
        SigningAlgorithm algorithm = SigningAlgorithm.fromJoseName(alg);
        clock = InstantSource.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        KeyRingManager manager = Rings.started(algorithm, clock);
        issuer = Rings.issuer(manager, clock);
        request = AccessTokenRequest.of("alice", Set.of("user"));
        ManagedKey active = manager.current().active();
        algorithmName = active.algorithm().joseName();
        kid = active.kid();
        signingKey = active.requireMaterial().signingKey();
        IssuedToken issued = keyring();
        if (!issued.kid().equals(kid) || issued.algorithm() != algorithm || jose4j().split("\\.").length != 3) {
            throw new IllegalStateException(alg + ": the two ways do not sign alike.");
        }
    }

    @Benchmark
    public IssuedToken keyring() {
        return issuer.issue(request);
    }

    /** What {@link Jose4jTokenIssuer} does, without the ring: the same claims, headers and key. */
    @Benchmark
    public String jose4j() {
        Instant issuedAt = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(Rings.ISSUER);
        claims.setAudience(Rings.AUDIENCE);
        claims.setSubject("alice");
        claims.setClaim("upn", "alice");
        claims.setStringListClaim("groups", new ArrayList<>(request.groups()));
        claims.setIssuedAt(NumericDate.fromSeconds(issuedAt.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(issuedAt.plus(Rings.LIFETIME).getEpochSecond()));
        claims.setJwtId(jti());

        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(algorithmName);
        jws.setKeyIdHeaderValue(kid);
        jws.setHeader("typ", TokenIssuer.ACCESS_TOKEN_TYPE);
        jws.setKey(signingKey);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jti() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return B64URL.encodeToString(bytes);
    }
}
