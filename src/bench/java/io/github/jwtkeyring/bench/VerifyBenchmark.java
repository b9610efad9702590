package io.github.jwtkeyring.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.crypto.SecretKey;

import org.eclipse.microprofile.jwt.JsonWebToken;
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
import io.github.jwtkeyring.issue.TokenIssuer;
import io.github.jwtkeyring.keys.KeyMaterial;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.runtime.jwt.KeyringCallerPrincipalFactory;
import io.github.jwtkeyring.verify.AdmissionCheck;
import io.github.jwtkeyring.verify.TokenVerifier;
import io.github.jwtkeyring.verify.VerificationPolicy;
import io.github.jwtkeyring.verify.VerifiedTokenCache;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Verifying one access token, per algorithm, three ways on the very same token: SmallRye JWT's own parser with the
 * token's key configured statically ({@code baseline}), the key ring's parser that finds the key by {@code kid} with
 * the verified-token cache off ({@code keyring}), and the same with the cache on ({@code keyringCached}: a token seen
 * before, so the hit path).
 * <p>
 * SmallRye checks {@code exp} against the real time, so the token is issued now with a lifetime of an hour, well
 * beyond any trial; the ring's clock stays fixed at the issue time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class VerifyBenchmark {

    @Param({ "HS256", "RS256", "PS256", "ES256", "EdDSA" })
    public String alg;

    private String token;
    private DefaultJWTParser smallrye;
    private KeyringCallerPrincipalFactory keyring;
    private KeyringCallerPrincipalFactory keyringCached;
    private JWTAuthContextInfo keyringContext;

    @Setup
    public void setUp() throws ParseException {
        SigningAlgorithm algorithm = SigningAlgorithm.fromJoseName(alg);
        InstantSource clock = InstantSource.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        KeyRingManager manager = Rings.started(algorithm, clock);
        token = Rings.issuer(manager, clock).issue(AccessTokenRequest.of("alice", Set.of("user"))
                .withClaims(Map.of("tenant", "acme")).withLifetime(Duration.ofHours(1))).token();

        smallrye = new DefaultJWTParser(staticKeyContext(manager.current().active().requireMaterial(), algorithm),
                new DefaultJWTCallerPrincipalFactory());
        TokenVerifier verifier = new TokenVerifier(manager, clock, new VerificationPolicy(Rings.ISSUER,
                Rings.AUDIENCE, Rings.CLOCK_SKEW, TokenIssuer.ACCESS_TOKEN_TYPE));
        keyring = new KeyringCallerPrincipalFactory(verifier,
                new VerifiedTokenCache<JWTCallerPrincipal>(manager, clock, Rings.CLOCK_SKEW, 0), AdmissionCheck.ADMIT_ALL,
                (JWTCallerPrincipalFactory) null);
        keyringCached = new KeyringCallerPrincipalFactory(verifier,
                new VerifiedTokenCache<JWTCallerPrincipal>(manager, clock, Rings.CLOCK_SKEW, 10_000), AdmissionCheck.ADMIT_ALL,
                (JWTCallerPrincipalFactory) null);
        keyringContext = new JWTAuthContextInfo();
        keyringContext.setIssuedBy(Rings.ISSUER);
        keyringContext.setExpectedAudience(Set.of(Rings.AUDIENCE));

        requireAlice(baseline());
        requireAlice(keyring());
        requireAlice(keyringCached());
    }

    /** What a SmallRye JWT application configures for one static key: the key, issuer, audience and algorithm. */
    private static JWTAuthContextInfo staticKeyContext(KeyMaterial material, SigningAlgorithm algorithm) {
        JWTAuthContextInfo context = algorithm.symmetric()
                ? new JWTAuthContextInfo((SecretKey) material.verificationKey(), Rings.ISSUER)
                : new JWTAuthContextInfo(material.publicKey(), Rings.ISSUER);
        context.setExpectedAudience(Set.of(Rings.AUDIENCE));
        context.setSignatureAlgorithm(Set.of(SignatureAlgorithm.fromAlgorithm(algorithm.joseName())));
        context.setRelaxVerificationKeyValidation(false);
        return context;
    }

    private void requireAlice(JsonWebToken jwt) {
        if (!"alice".equals(jwt.getName()) || !jwt.getGroups().contains("user")) {
            throw new IllegalStateException(alg + ": the token verified to '" + jwt.getName() + "' in groups "
                    + jwt.getGroups() + ", not to alice in group user.");
        }
    }

    @Benchmark
    public JsonWebToken baseline() throws ParseException {
        return smallrye.parse(token);
    }

    @Benchmark
    public JsonWebToken keyring() throws ParseException {
        return keyring.parse(token, keyringContext);
    }

    @Benchmark
    public JsonWebToken keyringCached() throws ParseException {
        return keyringCached.parse(token, keyringContext);
    }
}
