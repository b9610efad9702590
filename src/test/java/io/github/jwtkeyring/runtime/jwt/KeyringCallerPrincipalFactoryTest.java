package io.github.jwtkeyring.runtime.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.issue.AccessTokenRequest;
import io.github.jwtkeyring.issue.IssuedToken;
import io.github.jwtkeyring.issue.IssuerSettings;
import io.github.jwtkeyring.issue.Jose4jTokenIssuer;
import io.github.jwtkeyring.issue.TokenIssuer;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.testing.InMemoryRings;
import io.github.jwtkeyring.testing.MutableClock;
import io.github.jwtkeyring.verify.AdmissionCheck;
import io.github.jwtkeyring.verify.TokenVerifier;
import io.github.jwtkeyring.verify.VerificationPolicy;
import io.github.jwtkeyring.verify.VerifiedTokenCache;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.auth.principal.PrincipalUtils;

/**
 * The parser SmallRye JWT calls for every bearer token: the admission check (the revocation lists in the application)
 * runs on every call, whether the token was verified now or came from the verified-token cache.
 */
class KeyringCallerPrincipalFactoryTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration SKEW = InMemoryRings.CLOCK_SKEW;

    private final MutableClock clock = new MutableClock(T0);
    private final KeyRingManager manager = manager();
    private final TokenIssuer issuer = new Jose4jTokenIssuer(manager, clock,
            new IssuerSettings("https://issuer.test", "api", Duration.ofMinutes(5)));
    private final Set<String> revokedJtis = new HashSet<>();
    private final AtomicInteger checks = new AtomicInteger();
    private final AdmissionCheck revocations = token -> {
        checks.incrementAndGet();
        return revokedJtis.contains(token.getTokenID()) ? Optional.of("jti revoked") : Optional.empty();
    };

    private KeyRingManager manager() {
        return InMemoryRings.started(SigningAlgorithm.ES256, clock);
    }

    private TokenVerifier verifier() {
        return new TokenVerifier(manager, clock,
                new VerificationPolicy("https://issuer.test", "api", SKEW, TokenIssuer.ACCESS_TOKEN_TYPE));
    }

    private KeyringCallerPrincipalFactory factory(long cacheSize) {
        return factory(cacheSize, null);
    }

    private KeyringCallerPrincipalFactory factory(long cacheSize, JWTCallerPrincipalFactory otherIssuers) {
        return new KeyringCallerPrincipalFactory(verifier(), new VerifiedTokenCache<>(manager, clock, SKEW, cacheSize),
                revocations, otherIssuers);
    }

    /** SmallRye's own parser as the application's second issuer would use it: here, one that records its calls. */
    private static final class RecordingFactory extends JWTCallerPrincipalFactory {

        final List<String> parsed = new ArrayList<>();
        final JWTCallerPrincipal answer;

        RecordingFactory(JWTCallerPrincipal answer) {
            this.answer = answer;
        }

        @Override
        public JWTCallerPrincipal parse(String token, JWTAuthContextInfo authContextInfo) throws ParseException {
            parsed.add(token);
            if (answer == null) {
                throw new ParseException("not ours either");
            }
            return answer;
        }
    }

    /** An unsigned token whose payload is {@code claims}; only its issuer matters to the routing. */
    private static String unsignedToken(String claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    @Test
    void otherIssuersRejected_aTokenOfAnotherIssuer_isRejectedLikeAnyOther() {
        String foreign = unsignedToken("{\"iss\":\"https://other.test\",\"sub\":\"bob\"}");

        assertThatThrownBy(() -> factory(0).parse(foreign, context())).isInstanceOf(ParseException.class)
                .hasMessage("Token rejected");
    }

    @Test
    void otherIssuersDelegated_aTokenOfAnotherIssuer_isSmallRyesToJudge_withoutTheRingsRevocations()
            throws ParseException {
        JWTCallerPrincipal bob = new DefaultJWTCallerPrincipal("JWT", new JwtClaims());
        RecordingFactory smallrye = new RecordingFactory(bob);
        String foreign = unsignedToken("{\"iss\":\"https://other.test\",\"sub\":\"bob\"}");

        assertThat(factory(100, smallrye).parse(foreign, context())).isSameAs(bob);
        assertThat(smallrye.parsed).containsExactly(foreign);
        assertThat(checks).hasValue(0);

        RecordingFactory refusing = new RecordingFactory(null);
        assertThatThrownBy(() -> factory(100, refusing).parse(foreign, context())).isInstanceOf(ParseException.class)
                .hasMessage("Token rejected");
    }

    @Test
    void otherIssuersDelegated_aTokenNamingTheRingsIssuer_isVerifiedByTheRingOnly() throws ParseException {
        RecordingFactory smallrye = new RecordingFactory(new DefaultJWTCallerPrincipal("JWT", new JwtClaims()));
        KeyringCallerPrincipalFactory factory = factory(0, smallrye);
        IssuedToken token = issuer.issue(AccessTokenRequest.of("alice", Set.of("user")));
        String forged = unsignedToken("{\"iss\":\"https://issuer.test\",\"sub\":\"mallory\"}");

        assertThat(factory.parse(token.token(), context()).getSubject()).isEqualTo("alice");
        assertThatThrownBy(() -> factory.parse(forged, context())).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> factory.parse("not.a-token", context())).isInstanceOf(ParseException.class);
        assertThat(smallrye.parsed).isEmpty();
    }

    private static JWTAuthContextInfo context() {
        JWTAuthContextInfo context = new JWTAuthContextInfo();
        context.setIssuedBy("https://issuer.test");
        context.setExpectedAudience(Set.of("api"));
        return context;
    }

    @Test
    void parse_ofAValidToken_returnsItsPrincipal_afterTheAdmissionCheck() throws ParseException {
        IssuedToken token = issuer.issue(AccessTokenRequest.of("alice", Set.of("user")));

        JWTCallerPrincipal principal = factory(100).parse(token.token(), context());

        assertThat(principal.getSubject()).isEqualTo("alice");
        assertThat(principal.getGroups()).containsExactly("user");
        assertThat(checks).hasValue(1);
    }

    @Test
    void principal_answersEveryClaim_exactlyAsSmallRyesOwnPrincipal() throws Exception {
        IssuedToken token = issuer.issue(AccessTokenRequest.of("alice", Set.of("user"))
                .withClaims(Map.of("tenant", "acme")).withSession("family-1"));
        JWTCallerPrincipal principal = factory(0).parse(token.token(), context());

        JwtClaims claims = verifier().verify(token.token()).claims();
        PrincipalUtils.setClaims(claims, token.token(), context());
        JWTCallerPrincipal smallrye = new DefaultJWTCallerPrincipal(TokenIssuer.ACCESS_TOKEN_TYPE, claims);

        assertThat(principal.getClaimNames()).contains("tenant", TokenIssuer.SESSION_ID_CLAIM, "sub", "jti")
                .isEqualTo(smallrye.getClaimNames());
        for (String name : principal.getClaimNames()) {
            assertThat(principal.<Object> getClaim(name)).as(name).isEqualTo(smallrye.getClaim(name));
        }
        assertThat(principal.<Object> getClaim("tenant")).isEqualTo("acme");
        assertThat(principal.<Object> getClaim("no-such-claim")).isNull();
        assertThat(principal.getTokenID()).isEqualTo(token.jti());
        assertThat(principal.getGroups()).containsExactly("user");
    }

    @Test
    void parse_ofARevokedToken_isRejected_evenWhenItIsInTheVerifiedTokenCache() throws ParseException {
        KeyringCallerPrincipalFactory factory = factory(100);
        IssuedToken token = issuer.issue(AccessTokenRequest.of("alice", Set.of("user")));
        JWTCallerPrincipal first = factory.parse(token.token(), context());
        assertThat(factory.parse(token.token(), context())).isSameAs(first);

        revokedJtis.add(token.jti());

        assertThatThrownBy(() -> factory.parse(token.token(), context())).isInstanceOf(ParseException.class)
                .hasMessage("Token rejected");
        assertThat(checks).hasValue(3);
    }

    @Test
    void parse_ofARevokedToken_withTheCacheOff_isRejected_andAnotherTokenOfTheSameSubjectIsNot()
            throws ParseException {
        KeyringCallerPrincipalFactory factory = factory(0);
        IssuedToken revoked = issuer.issue(AccessTokenRequest.of("alice", Set.of("user")));
        IssuedToken other = issuer.issue(AccessTokenRequest.of("alice", Set.of("user")));
        revokedJtis.add(revoked.jti());

        assertThatThrownBy(() -> factory.parse(revoked.token(), context())).isInstanceOf(ParseException.class);
        assertThat(factory.parse(other.token(), context()).getSubject()).isEqualTo("alice");
    }

    @Test
    void parse_ofAForgedToken_isRejectedBeforeTheAdmissionCheck() {
        IssuedToken token = issuer.issue(AccessTokenRequest.of("alice", Set.of("user")));
        String tampered = token.token().substring(0, token.token().length() - 4) + "AAAA";

        assertThatThrownBy(() -> factory(100).parse(tampered, context())).isInstanceOf(ParseException.class);
        assertThat(checks).hasValue(0);
    }
}
