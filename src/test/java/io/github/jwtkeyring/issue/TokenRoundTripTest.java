package io.github.jwtkeyring.issue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.testing.InMemoryRings;
import io.github.jwtkeyring.testing.MutableClock;
import io.github.jwtkeyring.verify.RejectedTokenException;
import io.github.jwtkeyring.verify.TokenVerifier;
import io.github.jwtkeyring.verify.VerificationPolicy;
import io.github.jwtkeyring.verify.VerifiedToken;

/**
 * For every algorithm: the issuer signs with the ACTIVE key, the verifier accepts the token with exactly that key, and
 * after a rotation the old token still verifies while new tokens carry the new kid.
 */
class TokenRoundTripTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(T0);

    private KeyRingManager manager(SigningAlgorithm algorithm) {
        return InMemoryRings.started(algorithm, clock);
    }

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void issuedToken_verifiesWithItsOwnKeyAndAlgorithm_beforeAndAfterRotation(SigningAlgorithm algorithm)
            throws Exception {
        KeyRingManager manager = manager(algorithm);
        TokenIssuer issuer = new Jose4jTokenIssuer(manager, clock,
                new IssuerSettings("https://issuer.test", "api", Duration.ofMinutes(5)));
        TokenVerifier verifier = new TokenVerifier(manager, clock,
                new VerificationPolicy("https://issuer.test", "api", Duration.ofSeconds(60), TokenIssuer.ACCESS_TOKEN_TYPE));

        IssuedToken token = issuer.issue(AccessTokenRequest.of("alice", Set.of("user"))
                .withClaims(Map.of("tenant", "acme")));
        VerifiedToken verified = verifier.verify(token.token());
        JwtClaims claims = verified.claims();

        assertThat(token.algorithm()).isEqualTo(algorithm);
        assertThat(verified.kid()).isEqualTo(manager.current().active().kid());
        assertThat(verified.type()).isEqualTo("at+jwt");
        assertThat(verified.expires()).isEqualTo(token.expiresAt());
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getStringClaimValue("upn")).isEqualTo("alice");
        assertThat(claims.getStringListClaimValue("groups")).containsExactly("user");
        assertThat(claims.getStringClaimValue("tenant")).isEqualTo("acme");
        assertThat(claims.getJwtId()).isEqualTo(token.jti());
        assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue()).isEqualTo(300);

        manager.rotate(manager.current().active().kid(), true);
        assertThat(verifier.verify(token.token())).isNotNull();
        assertThat(issuer.issue(AccessTokenRequest.of("alice", Set.of())).kid()).isNotEqualTo(token.kid());

        manager.revoke(token.kid());
        assertThatThrownBy(() -> verifier.verify(token.token())).isInstanceOf(RejectedTokenException.class);
    }

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void jtis_areUniquePerToken(SigningAlgorithm algorithm) {
        KeyRingManager manager = manager(algorithm);
        TokenIssuer issuer = new Jose4jTokenIssuer(manager, clock,
                new IssuerSettings("iss", "aud", Duration.ofMinutes(5)));
        assertThat(issuer.issue(AccessTokenRequest.of("a", Set.of())).jti())
                .isNotEqualTo(issuer.issue(AccessTokenRequest.of("a", Set.of())).jti());
    }

    @ParameterizedTest
    @EnumSource(names = { "iss", "aud", "sub", "exp", "jti", "groups" }, value = Reserved.class)
    void request_forAReservedClaim_isRefused(Reserved claim) {
        assertThatThrownBy(() -> AccessTokenRequest.of("alice", Set.of()).withClaims(Map.of(claim.name(), "x")))
                .isInstanceOf(KeyringException.class).hasMessageContaining(claim.name());
    }

    enum Reserved {
        iss,
        aud,
        sub,
        exp,
        jti,
        groups
    }
}
