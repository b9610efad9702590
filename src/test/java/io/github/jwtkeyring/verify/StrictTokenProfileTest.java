package io.github.jwtkeyring.verify;

import static io.github.jwtkeyring.testing.RawTokens.b64;
import static io.github.jwtkeyring.testing.RawTokens.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.jwtkeyring.issue.AccessTokenRequest;
import io.github.jwtkeyring.issue.IssuerSettings;
import io.github.jwtkeyring.issue.Jose4jTokenIssuer;
import io.github.jwtkeyring.issue.TokenIssuer;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.rotation.DerivedHmacKeyRingManager;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.rotation.RotationPolicy;
import io.github.jwtkeyring.testing.InMemoryRings;
import io.github.jwtkeyring.testing.MutableClock;
import io.github.jwtkeyring.testing.RawTokens;

/**
 * The strict token profile (README, "Security"): a token has exactly one valid string, its signature exactly one
 * valid length, its header only {@code alg}, {@code kid} and {@code typ}, its dates are integers in range, and its key
 * vouches only for tokens it could have signed. Every token here is validly signed with the ring's own key unless said
 * otherwise, and every rejection is a {@link RejectedTokenException}, never another exception.
 */
class StrictTokenProfileTest {

    private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");
    private static final Duration SKEW = InMemoryRings.CLOCK_SKEW;
    private static final String ISSUER = "https://issuer.test";

    private final MutableClock clock = new MutableClock(T0);

    private static VerificationPolicy policy(int maxLength, Duration propagation) {
        return new VerificationPolicy(ISSUER, "api", SKEW, TokenIssuer.ACCESS_TOKEN_TYPE, maxLength, propagation);
    }

    private TokenVerifier verifier(KeyRingManager manager) {
        return new TokenVerifier(manager, clock, policy(VerificationPolicy.DEFAULT_MAX_TOKEN_LENGTH, Duration.ZERO));
    }

    private String issued(KeyRingManager manager) {
        return new Jose4jTokenIssuer(manager, clock, new IssuerSettings(ISSUER, "api", Duration.ofMinutes(5)))
                .issue(AccessTokenRequest.of("alice", Set.of("user"))).token();
    }

    private static String header(ManagedKey key, String extra) {
        return "{\"alg\":\"" + key.algorithm().joseName() + "\",\"kid\":\"" + key.kid() + "\",\"typ\":\"at+jwt\""
                + extra + "}";
    }

    /** {@code claims} signed by {@code key} under the header the ring's own tokens carry. */
    private static String token(ManagedKey key, String claims) {
        return signed(key, header(key, ""), claims);
    }

    private static String claims(Instant iat, Instant exp) {
        return claims(Long.toString(iat.getEpochSecond()), Long.toString(exp.getEpochSecond()), "");
    }

    private static String claims(String iat, String exp, String extra) {
        return "{\"iss\":\"" + ISSUER + "\",\"aud\":\"api\",\"sub\":\"alice\",\"jti\":\"j-1\",\"iat\":" + iat
                + ",\"exp\":" + exp + extra + "}";
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(TokenVerifier verifier,
            String token) {
        return assertThatThrownBy(() -> verifier.verify(token)).isExactlyInstanceOf(RejectedTokenException.class);
    }

    // 1. One string per token

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void everyOtherStringOfAValidToken_isRejected(SigningAlgorithm algorithm) {
        KeyRingManager manager = InMemoryRings.started(algorithm, clock);
        TokenVerifier verifier = verifier(manager);
        String token = issued(manager);
        assertThat(verifier.verify(token)).isNotNull();

        List<String> variants = new ArrayList<>(List.of(" " + token, token + " ", token + "\n", token + "é",
                token.replace(".", ". "), token + ".", token + ".x", token.substring(0, token.lastIndexOf('.')),
                token.substring(0, 20) + " " + token.substring(20), token.replace('-', '+').replace('_', '/') + "+"));
        String[] segments = token.split("\\.");
        for (int i = 0; i < 3; i++) {
            String[] padded = segments.clone();
            padded[i] = pad(padded[i]);
            String[] unusedBits = segments.clone();
            unusedBits[i] = RawTokens.withUnusedBitSet(unusedBits[i]);
            variants.add(String.join(".", padded));
            variants.add(String.join(".", unusedBits));
        }
        String standardAlphabet = token.replace('-', '+').replace('_', '/');
        variants.add(standardAlphabet);
        variants.remove(token);

        for (String variant : variants.stream().distinct().toList()) {
            assertRejected(verifier, variant).as(variant);
        }
    }

    @Test
    void aSegmentWithNonZeroUnusedBits_decodesToTheSameBytesInTheJdk_yetIsRejected() {
        KeyRingManager manager = InMemoryRings.started(SigningAlgorithm.EDDSA, clock);
        String token = issued(manager);
        String signature = token.substring(token.lastIndexOf('.') + 1);
        String altered = RawTokens.withUnusedBitSet(signature);

        assertThat(Base64.getUrlDecoder().decode(altered)).isEqualTo(Base64.getUrlDecoder().decode(signature));
        assertRejected(verifier(manager), token.substring(0, token.lastIndexOf('.') + 1) + altered)
                .hasMessageContaining("unused bits");
    }

    /** {@code segment} with '=' padding, or itself with one '=' if it needs none. */
    private static String pad(String segment) {
        return segment + "=".repeat(segment.length() % 4 == 0 ? 1 : 4 - segment.length() % 4);
    }

    @Test
    void headerAndPayload_mustBeStrictUtf8JsonObjects_withUniqueMemberNames() {
        KeyRingManager manager = InMemoryRings.started(SigningAlgorithm.ES256, clock);
        ManagedKey key = manager.current().active();
        TokenVerifier verifier = verifier(manager);
        String claims = claims(T0, T0.plusSeconds(300));
        assertThat(verifier.verify(token(key, claims))).isNotNull();

        assertRejected(verifier, signed(key, header(key, ",\"kid\":\"" + key.kid() + "\""), claims))
                .hasMessageContaining("unique member names");
        assertRejected(verifier, token(key, claims.replace("}", ",\"sub\":\"alice\"}")))
                .hasMessageContaining("unique member names");
        // an overlong encoding of '/' (0xC0 0xAF) where the typ ends
        byte[] overlong = header(key, "").replace("at+jwt", "at+jwt__").getBytes(StandardCharsets.UTF_8);
        int at = new String(overlong, StandardCharsets.UTF_8).indexOf("__");
        overlong[at] = (byte) 0xC0;
        overlong[at + 1] = (byte) 0xAF;
        assertRejected(verifier, signed(key, b64(overlong) + "." + b64(claims))).hasMessageContaining("UTF-8");
        assertRejected(verifier, signed(key, b64(header(key, "")) + "." + b64(new byte[] { '{', (byte) 0xFF, '}' })))
                .hasMessageContaining("UTF-8");
        assertRejected(verifier, token(key, "[" + claims + "]"));
        assertRejected(verifier, token(key, "\"" + claims.replace("\"", "\\\"") + "\""));
    }

    // 2. One length per signature

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void aValidSignature_withAByteMoreOrLess_isRejected(SigningAlgorithm algorithm) {
        KeyRingManager manager = InMemoryRings.started(algorithm, clock);
        TokenVerifier verifier = verifier(manager);
        String token = issued(manager);
        String signingInput = token.substring(0, token.lastIndexOf('.'));
        byte[] signature = Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));

        byte[] trailingZero = Arrays.copyOf(signature, signature.length + 1);
        byte[] leadingZero = new byte[signature.length + 1];
        System.arraycopy(signature, 0, leadingZero, 1, signature.length);
        for (byte[] altered : List.of(trailingZero, leadingZero, Arrays.copyOf(signature, signature.length - 1),
                Arrays.copyOf(signature, signature.length / 2), new byte[signature.length])) {
            assertRejected(verifier, signingInput + "." + b64(altered)).as("%d bytes", altered.length)
                    .hasMessageContaining("signature does not verify");
        }
    }

    // 3. The header allow-list

    @ParameterizedTest
    @ValueSource(strings = { "crit", "zip", "cty", "b64", "jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256", "enc",
            "nonce", "x-custom" })
    void anyHeaderBesidesAlgKidAndTyp_getsAValidlySignedTokenRejected(String name) {
        KeyRingManager manager = InMemoryRings.started(SigningAlgorithm.ES256, clock);
        ManagedKey key = manager.current().active();
        String value = switch (name) {
            case "crit" -> "[\"exp\"]";
            case "b64" -> "false";
            case "jwk" -> "{\"kty\":\"oct\",\"k\":\"AAAA\"}";
            default -> "\"DEF\"";
        };

        assertRejected(verifier(manager), signed(key, header(key, ",\"" + name + "\":" + value),
                claims(T0, T0.plusSeconds(300)))).hasMessageContaining("'" + name + "' header");
    }

    @Test
    void algKidAndTyp_mustBeStrings() {
        KeyRingManager manager = InMemoryRings.started(SigningAlgorithm.HS256, clock);
        ManagedKey key = manager.current().active();
        String claims = claims(T0, T0.plusSeconds(300));

        assertRejected(verifier(manager), signed(key, header(key, "").replace("\"at+jwt\"", "[\"at+jwt\"]"), claims))
                .hasMessageContaining("not a string");
        assertRejected(verifier(manager), signed(key, "{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}", claims))
                .hasMessageContaining("no kid");
    }

    @Test
    void anAlgOtherThanTheKeysOwn_isRejected_evenWithACorrectSignatureOfTheKey() {
        KeyRingManager manager = InMemoryRings.started(SigningAlgorithm.HS256, clock);
        ManagedKey key = manager.current().active();
        String claims = claims(T0, T0.plusSeconds(300));
        for (String alg : List.of("HS512", "HS384", "none", "hs256", "")) {
            String header = header(key, "").replace("\"alg\":\"HS256\"", "\"alg\":\"" + alg + "\"");
            assertRejected(verifier(manager), signed(key, header, claims)).as(alg).hasMessageContaining("the token says");
        }
    }

    @Test
    void typ_mustBeAscii_soNoUnicodeCaseFoldingMatchesIt() {
        KeyRingManager manager = InMemoryRings.started(SigningAlgorithm.HS256, clock);
        ManagedKey key = manager.current().active();
        for (String typ : List.of("applıcation/at+jwt", "applİcation/at+jwt", "at+jwt\u0000")) {
            assertRejected(verifier(manager), signed(key, header(key, "").replace("at+jwt", typ),
                    claims(T0, T0.plusSeconds(300)))).as(typ).hasMessageContaining("typ");
        }
    }

    @Test
    void valuesReadBeforeTheSignature_appearInTheReasonOnlyWhenShortAndPrintable() {
        KeyRingManager manager = InMemoryRings.started(SigningAlgorithm.HS256, clock);
        ManagedKey key = manager.current().active();
        String forged = signed(key, "{\"alg\":\"HS256\",\"kid\":\"x\\nINFO forged line\",\"typ\":\"at+jwt\"}",
                claims(T0, T0.plusSeconds(300)));

        assertRejected(verifier(manager), forged).hasMessageNotContaining("\n").hasMessageNotContaining("forged")
                .hasMessageContaining("characters, not shown");
    }

    // 4. Dates are integers in range

    static Stream<Arguments> datesOutOfRange() {
        List<Arguments> cases = new ArrayList<>();
        for (String value : List.of("1e308", "1.0E308", "1e400", "-1", "253402300800", "9223372036854775808",
                "-9223372036854775809", "1777622400.5", "\"1777622400\"", "null", "true", "[1777622400]", "{}")) {
            for (String claim : List.of("exp", "iat", "nbf")) {
                cases.add(Arguments.of(claim, value));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("datesOutOfRange")
    void aDateThatIsNoIntegerInRange_isRejected_neverAnException(String claim, String value) {
        KeyRingManager manager = InMemoryRings.started(SigningAlgorithm.HS256, clock);
        ManagedKey key = manager.current().active();
        String iat = Long.toString(T0.getEpochSecond());
        String exp = Long.toString(T0.plusSeconds(300).getEpochSecond());
        String payload = switch (claim) {
            case "exp" -> claims(iat, value, "");
            case "iat" -> claims(value, exp, "");
            default -> claims(iat, exp, ",\"nbf\":" + value);
        };

        assertRejected(verifier(manager), token(key, payload));
    }

    @Test
    void aDateAtTheEndOfTheRange_isReadWithoutFailing() {
        KeyRingManager manager = InMemoryRings.started(SigningAlgorithm.HS256, clock);
        ManagedKey key = manager.current().active();
        // valid in form, so it reaches the lifetime rule, which refuses it
        assertRejected(verifier(manager), signed(key, header(key, ""),
                claims(Long.toString(T0.getEpochSecond()), Long.toString(AccessTokenClaims.LATEST), "")))
                .hasMessageContaining("lifetime");
    }

    @Test
    void theClaimsMustBeThoseTheRingIssues() {
        KeyRingManager manager = InMemoryRings.started(SigningAlgorithm.HS256, clock);
        ManagedKey key = manager.current().active();
        TokenVerifier verifier = verifier(manager);
        String valid = claims(T0, T0.plusSeconds(300));
        assertThat(verifier.verify(token(key, valid.replace("\"aud\":\"api\"",
                "\"aud\":[\"other\",\"api\"]")))).isNotNull();

        assertRejected(verifier, token(key, valid.replace("\"aud\":\"api\"",
                "\"aud\":[\"other\",\"more\"]"))).hasMessageContaining("aud");
        assertRejected(verifier, token(key, valid.replace("\"sub\":\"alice\",", "")))
                .hasMessageContaining("sub");
        assertRejected(verifier, token(key, valid.replace("\"sub\":\"alice\"", "\"sub\":\"\"")))
                .hasMessageContaining("sub");
        assertRejected(verifier, token(key, valid.replace("\"jti\":\"j-1\",", "")))
                .hasMessageContaining("jti");
        assertRejected(verifier, token(key, valid.replace("\"jti\":\"j-1\"", "\"jti\":7")))
                .hasMessageContaining("jti");
        assertRejected(verifier, token(key, valid.replace("\"iss\":\"" + ISSUER + "\"",
                "\"iss\":\"https://other.test\""))).hasMessageContaining("iss");

        long nbf = T0.plus(SKEW).getEpochSecond();
        assertThat(verifier.verify(token(key, valid.replace("}", ",\"nbf\":" + nbf + "}"))))
                .isNotNull();
        assertRejected(verifier, token(key, valid.replace("}", ",\"nbf\":" + (nbf + 1) + "}")))
                .hasMessageContaining("nbf");
    }

    // 5. A key vouches only for what it signed

    @Test
    void aLifetimeLongerThanTheKeyEverIssued_isRejected_uptoWhatItRecorded() {
        KeyRingManager manager = InMemoryRings.started(SigningAlgorithm.ES256, clock);
        ManagedKey key = manager.current().active();
        TokenVerifier verifier = verifier(manager);

        assertThat(verifier.verify(token(key, claims(T0, T0.plus(Duration.ofMinutes(5))))))
                .isNotNull();
        assertRejected(verifier, token(key, claims(T0, T0.plus(Duration.ofDays(30)))))
                .hasMessageContaining("lifetime");
        assertRejected(verifier, token(key, claims(T0, T0.plus(Duration.ofMinutes(5)).plusSeconds(1))))
                .hasMessageContaining("lifetime");
        assertRejected(verifier, token(key, claims(T0, T0.minusSeconds(1))))
                .hasMessageContaining("lifetime");

        manager.signingKey(Duration.ofHours(1));
        assertThat(verifier.verify(token(key, claims(T0, T0.plus(Duration.ofHours(1))))))
                .isNotNull();
    }

    @Test
    void aTokenIssuedLongerAgoThanItsKeyIssuesTokensFor_isRejected() {
        KeyRingManager manager = InMemoryRings.started(SigningAlgorithm.ES256, clock);
        manager.signingKey(Duration.ofDays(60));
        ManagedKey key = manager.current().active();
        clock.advance(Duration.ofDays(30));

        assertThat(verifier(manager).verify(token(key, claims(T0, T0.plus(Duration.ofDays(60))))))
                .isNotNull();
        KeyRingManager shortLived = InMemoryRings.started(SigningAlgorithm.ES256, clock);
        ManagedKey other = shortLived.current().active();
        assertRejected(verifier(shortLived), signed(other, header(other, ""),
                claims(clock.instant().minus(Duration.ofDays(30)), clock.instant().plusSeconds(60))));
    }

    @Test
    void aTokenDatedBeforeItsKeySigned_isRejected() {
        KeyRingManager manager = InMemoryRings.started(SigningAlgorithm.EDDSA, clock);
        ManagedKey key = manager.current().active();
        clock.advance(Duration.ofSeconds(200));
        Instant early = T0.minus(SKEW).minusSeconds(1);

        assertRejected(verifier(manager), token(key, claims(early, early.plusSeconds(300))))
                .hasMessageContaining("dated before");
        Instant edge = T0.minus(SKEW);
        assertThat(verifier(manager).verify(token(key, claims(edge, edge.plusSeconds(300)))))
                .isNotNull();
    }

    @ParameterizedTest
    @EnumSource(value = SigningAlgorithm.class, names = { "ES256", "HS256" })
    void aRetiredKey_signingAfterItStopped_isRejected_whileItsOwnTokensStillVerify(SigningAlgorithm algorithm) {
        KeyRingManager manager = InMemoryRings.started(algorithm, clock);
        ManagedKey retired = manager.current().active();
        String before = issued(manager);
        clock.advance(Duration.ofMinutes(2));
        Instant retiredAt = clock.instant();
        manager.rotate(retired.kid(), true);
        clock.advance(SKEW.plusSeconds(1));
        Instant now = clock.instant();
        TokenVerifier verifier = verifier(manager);

        assertThat(verifier.verify(before)).isNotNull();
        assertThat(verifier.verify(token(retired, claims(retiredAt, retiredAt.plusSeconds(300)))))
                .isNotNull();
        assertRejected(verifier, token(retired, claims(now, now.plusSeconds(300))))
                .hasMessageContaining("stopped signing");

        TokenVerifier cluster = new TokenVerifier(manager, clock, policy(8192, Duration.ofSeconds(30)));
        assertThat(cluster.verify(token(retired, claims(now, now.plusSeconds(300)))))
                .as("a node that has not seen the rotation yet may still sign with it").isNotNull();
        Instant lastSecond = retiredAt.plusSeconds(30).plus(SKEW);
        assertThat(cluster.verify(signed(retired, header(retired, ""),
                claims(lastSecond, lastSecond.plusSeconds(300))))).isNotNull();
        Instant tooLate = lastSecond.plusSeconds(1);
        clock.set(tooLate);
        assertRejected(cluster, token(retired, claims(tooLate, tooLate.plusSeconds(300))))
                .hasMessageContaining("stopped signing");
    }

    @Test
    void aPendingKey_isTrustedOnlyForFreshTokens_asLongAsTheClusterMayLag() {
        KeyRingManager manager = InMemoryRings.started(SigningAlgorithm.ES256, clock);
        ManagedKey pending = manager.current().pending().orElseThrow();
        Instant beforeCreated = T0.minus(SKEW).minusSeconds(1);
        assertRejected(new TokenVerifier(manager, clock, policy(8192, Duration.ofDays(1))),
                token(pending, claims(beforeCreated, beforeCreated.plusSeconds(300))))
                .hasMessageContaining("dated before");
        clock.advance(Duration.ofMinutes(10));
        Instant now = clock.instant();
        Instant threeMinutesAgo = now.minus(Duration.ofMinutes(3));
        String fresh = token(pending, claims(now, now.plusSeconds(300)));
        String older = token(pending, claims(threeMinutesAgo, threeMinutesAgo.plusSeconds(300)));

        assertThat(verifier(manager).verify(fresh)).isNotNull();
        assertRejected(verifier(manager), older).hasMessageContaining("PENDING");
        assertThat(new TokenVerifier(manager, clock, policy(8192, Duration.ofMinutes(5))).verify(older)).isNotNull();
    }

    @Test
    void derivedHmacKeys_vouchOnlyForTheirPeriod() {
        Instant periodStart = Instant.parse("2026-05-01T09:00:00Z");
        clock.set(periodStart.plus(Duration.ofMinutes(10)));
        RotationPolicy policy = new RotationPolicy(SigningAlgorithm.HS256, Duration.ofHours(1), Duration.ofSeconds(1),
                Duration.ofMinutes(5), SKEW);
        KeyRingManager manager = new DerivedHmacKeyRingManager(policy, 1, new byte[32], clock);
        manager.start();
        ManagedKey previous = manager.current().keys().stream()
                .filter(k -> k.metadata().retires().equals(periodStart)).findFirst().orElseThrow();
        Instant now = clock.instant();
        Instant late = periodStart.minusSeconds(30);
        TokenVerifier verifier = verifier(manager);

        assertThat(verifier.verify(token(previous, claims(late, late.plusSeconds(1000)))))
                .isNotNull();
        assertRejected(verifier, token(previous, claims(now, now.plusSeconds(300))))
                .hasMessageContaining("stopped signing");
        ManagedKey active = manager.current().active();
        Instant early = periodStart.minus(SKEW).minusSeconds(1);
        assertRejected(verifier, token(active, claims(early, early.plusSeconds(1000))))
                .hasMessageContaining("dated before");
    }

    // 6. Size

    @Test
    void aTokenLongerThanTheLimit_isRejectedBeforeAnythingIsDecoded() {
        KeyRingManager manager = InMemoryRings.started(SigningAlgorithm.HS256, clock);
        String token = issued(manager);

        assertThat(new TokenVerifier(manager, clock, policy(token.length(), Duration.ZERO)).verify(token)).isNotNull();
        TokenVerifier strict = new TokenVerifier(manager, clock, policy(token.length() - 1, Duration.ZERO));
        assertThat(strict.withinSizeLimit(token)).isFalse();
        assertRejected(strict, token).hasMessageContaining("longer than");
        String huge = "x".repeat(20_000) + token;
        assertRejected(verifier(manager), huge).hasMessageContaining("longer than 8192");
    }
}
