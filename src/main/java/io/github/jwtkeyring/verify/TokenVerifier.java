package io.github.jwtkeyring.verify;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;

import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

import io.github.jwtkeyring.keys.KeyRingAccess;
import io.github.jwtkeyring.keys.KeyringException;

/**
 * Verifies a compact access token against the ring, to a strict profile (README, "Security"): the token string is the
 * one canonical compact JWS of its bytes and no longer than the policy allows; its header holds only {@code alg},
 * {@code kid} and {@code typ}; its signature verifies, at its exact length, with the key its {@code kid} names and that
 * key's algorithm; {@code typ}, {@code iss}, {@code aud}, {@code exp}, {@code iat}, {@code nbf}, {@code sub} and
 * {@code jti} are as the ring issues them, with time from the injected clock; and the key could have signed it
 * ({@link SigningWindow}). No key material is ever taken from the token; nothing here does I/O.
 */
public final class TokenVerifier {

    private final KeyRingAccess ring;
    private final InstantSource clock;
    private final VerificationPolicy policy;
    private final JwsVerifier signatures;
    private final ExpectedType typeCheck;
    private final long skew;
    private final long propagation;

    public TokenVerifier(KeyRingAccess ring, InstantSource clock, VerificationPolicy policy) {
        this.ring = ring;
        this.clock = clock;
        this.policy = policy;
        this.signatures = new JwsVerifier(policy.maxTokenLength());
        this.typeCheck = new ExpectedType(policy.tokenType());
        this.skew = policy.clockSkew().toSeconds();
        this.propagation = policy.propagation().toSeconds();
    }

    /**
     * Verifies {@code token}.
     *
     * @throws RejectedTokenException with the reason, for debug logs only
     */
    public VerifiedToken verify(String token) {
        JwsVerifier.VerifiedJws jws = signatures.verify(token, ring.current());
        typeCheck.check(jws.type());
        long now = Math.floorDiv(clock.millis(), 1000L);
        AccessTokenClaims claims = AccessTokenClaims.check(jws.payload(), policy, now);
        String violation = SigningWindow.violation(jws.key().metadata(), claims.issuedAt(), claims.expires(), now,
                skew, propagation);
        if (violation != null) {
            throw new RejectedTokenException(RejectedTokenException.Reason.CLAIMS, violation, null);
        }
        return new VerifiedToken(claims.claims(), jws.key().kid(), jws.type(),
                Instant.ofEpochSecond(claims.issuedAt()), Instant.ofEpochSecond(claims.expires()));
    }

    /**
     * Whether {@code token} is short enough to be read at all ({@code keyring.verify.max-token-bytes}); checked before
     * anything else, for the tokens of every issuer.
     */
    public boolean withinSizeLimit(String token) {
        return token.length() <= policy.maxTokenLength();
    }

    /**
     * Whether {@code token}, read without any verification, names the policy's issuer in {@code iss}; a token that
     * cannot be read counts as naming it, so that it meets the ring's verification (and its uniform rejection). Only
     * for choosing which verification a token gets, never for accepting one.
     */
    public boolean claimsPolicyIssuer(String token) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (second < 0) {
            return true;
        }
        try {
            String payload = new String(Base64.getUrlDecoder().decode(token.substring(first + 1, second)),
                    StandardCharsets.UTF_8);
            Object issuer = JsonUtil.parseJson(payload).get("iss");
            return issuer == null || policy.issuer().equals(issuer);
        } catch (JoseException | IllegalArgumentException e) {
            return true;
        }
    }

    /**
     * The {@code typ} header check, with the expected media type worked out once: RFC 7515 §4.1.9 compares media types
     * case-insensitively and lets {@code application/} be left out, so {@code at+jwt} also accepts
     * {@code application/at+jwt} and {@code AT+JWT}.
     */
    static final class ExpectedType {

        private static final String APPLICATION = "application/";

        private final String full;
        /** {@link #full} without {@code application/}, or null when the type is not an application type. */
        private final String shortForm;

        ExpectedType(String type) {
            if (type == null || type.isBlank() || type.indexOf(';') >= 0 || type.indexOf('*') >= 0) {
                throw new KeyringException("The expected token type must be a media type without parameters or "
                        + "wildcards, such as at+jwt; it is '" + type + "'.");
            }
            this.full = type.indexOf('/') >= 0 ? type : APPLICATION + type;
            this.shortForm = full.regionMatches(true, 0, APPLICATION, 0, APPLICATION.length())
                    ? full.substring(APPLICATION.length())
                    : null;
        }

        /** @throws RejectedTokenException unless {@code typ} is the expected type */
        void check(String typ) {
            if (typ == null) {
                throw new RejectedTokenException(RejectedTokenException.Reason.CLAIMS, "the token has no typ header", null);
            }
            // ASCII only: equalsIgnoreCase alone would also fold the dotless and dotted I of Turkish into i
            boolean ascii = typ.chars().allMatch(c -> c < 0x80);
            if (!ascii || (!typ.equalsIgnoreCase(full) && (shortForm == null || !typ.equalsIgnoreCase(shortForm)))) {
                throw new RejectedTokenException(RejectedTokenException.Reason.CLAIMS,
                        "typ " + RejectedTokenException.quote(typ) + " is not '" + full + "'",
                        null);
            }
        }
    }
}
