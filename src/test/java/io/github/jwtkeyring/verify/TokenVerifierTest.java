package io.github.jwtkeyring.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.jwtkeyring.issue.TokenIssuer;
import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.testing.InMemoryRings;
import io.github.jwtkeyring.testing.MutableClock;

/**
 * One verifier serves every request: its notion of "now" follows the injected clock to the second, and its
 * {@code typ} check accepts the media type forms RFC 7515 allows and nothing else.
 */
class TokenVerifierTest {

    private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");
    private static final Duration SKEW = InMemoryRings.CLOCK_SKEW;

    private final MutableClock clock = new MutableClock(T0);
    private final KeyRingManager manager = manager();
    private final TokenVerifier verifier = new TokenVerifier(manager, clock,
            new VerificationPolicy("https://issuer.test", "api", SKEW, TokenIssuer.ACCESS_TOKEN_TYPE));

    private KeyRingManager manager() {
        return InMemoryRings.started(SigningAlgorithm.HS256, clock);
    }

    /** A token on the ACTIVE key, issued at {@code iat}, valid for five minutes, with the given {@code typ}. */
    private String token(Instant iat, String typ) throws Exception {
        ManagedKey key = manager.current().active();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("https://issuer.test");
        claims.setAudience("api");
        claims.setSubject("alice");
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAt(NumericDate.fromSeconds(iat.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(iat.plus(Duration.ofMinutes(5)).getEpochSecond()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(key.algorithm().joseName());
        jws.setKeyIdHeaderValue(key.kid());
        if (typ != null) {
            jws.setHeader("typ", typ);
        }
        jws.setKey(key.requireMaterial().signingKey());
        return jws.getCompactSerialization();
    }

    @Test
    void theSameVerifier_followsTheClock_acrossSecondsAndBackwards() throws Exception {
        String token = token(T0, "at+jwt");
        // jose4j: exp plus the skew is the first second the token is no longer valid
        Instant lastValidSecond = T0.plus(Duration.ofMinutes(5)).plus(SKEW).minusSeconds(1);

        assertThat(verifier.verify(token)).isNotNull();
        clock.set(lastValidSecond);
        assertThat(verifier.verify(token)).isNotNull();
        clock.set(lastValidSecond.plusSeconds(1));
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(RejectedTokenException.class)
                .hasMessageContaining("no longer valid");

        // a clock set back (a test, or a corrected host clock) is followed too: iat is then in the future
        clock.set(T0.minus(Duration.ofHours(1)));
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(RejectedTokenException.class)
                .hasMessageContaining("ahead of now");
        clock.set(T0);
        assertThat(verifier.verify(token)).isNotNull();
    }

    @Test
    void manyTokens_withinOneSecond_areEachCheckedOnTheirOwn() throws Exception {
        String valid = token(T0, "at+jwt");
        String expired = token(T0.minus(Duration.ofMinutes(7)), "at+jwt");

        for (int i = 0; i < 3; i++) {
            assertThat(verifier.verify(valid)).isNotNull();
            assertThatThrownBy(() -> verifier.verify(expired)).isInstanceOf(RejectedTokenException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "at+jwt", "AT+JWT", "application/at+jwt", "Application/AT+JWT" })
    void typ_inAnyFormRfc7515Allows_isAccepted(String typ) throws Exception {
        assertThat(verifier.verify(token(T0, typ)).type()).isEqualTo(typ);
    }

    @ParameterizedTest
    @ValueSource(strings = { "JWT", "application/jwt", "text/at+jwt", "at+jwt ", "xapplication/at+jwt", "at+jw", "" })
    void typ_ofAnotherType_isRejected(String typ) throws Exception {
        String token = token(T0, typ);

        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(RejectedTokenException.class)
                .hasMessageContaining("typ");
    }

    @Test
    void token_withoutTyp_isRejected() throws Exception {
        String token = token(T0, null);

        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(RejectedTokenException.class)
                .hasMessageContaining("no typ header");
    }

    @Test
    void expectedType_thatIsNoPlainMediaType_isRefused() {
        for (String type : List.of("", " ", "application/*", "at+jwt; charset=x")) {
            assertThatThrownBy(() -> new TokenVerifier(manager, clock,
                    new VerificationPolicy("https://issuer.test", "api", SKEW, type)))
                    .as(type).isInstanceOf(KeyringException.class).hasMessageContaining("token type");
        }
    }
}
