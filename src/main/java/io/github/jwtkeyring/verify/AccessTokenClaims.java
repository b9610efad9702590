package io.github.jwtkeyring.verify;

import java.util.List;
import java.util.Map;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * The claims an access token of the ring must carry (RFC 9068 §2.2): {@code iss} the policy's issuer, {@code aud}
 * containing its audience, non-empty {@code sub} and {@code jti} strings, and {@code exp} and {@code iat} (and
 * {@code nbf} if present) as JSON integers between 0 and {@value #LATEST} (the end of the year 9999), checked against
 * the clock with the skew as jose4j would: {@code exp + skew} is the first second a token is no longer valid.
 *
 * @param claims the claims, for SmallRye JWT's principal
 * @param issuedAt {@code iat}, in seconds since the epoch
 * @param expires {@code exp}, in seconds since the epoch
 */
record AccessTokenClaims(JwtClaims claims, long issuedAt, long expires) {

    /** The latest NumericDate accepted: 9999-12-31T23:59:59Z, as far as {@link java.time.Instant} parsing goes. */
    static final long LATEST = 253_402_300_799L;

    /**
     * The claims of {@code payload}, checked against {@code policy} at {@code now}.
     *
     * @throws RejectedTokenException if any required claim is missing, malformed, out of range or not met
     */
    static AccessTokenClaims check(byte[] payload, VerificationPolicy policy, long now) {
        JwtClaims claims;
        try {
            // jose4j's parser refuses duplicate member names (RFC 8725 §3.2) and anything but an object
            claims = JwtClaims.parse(CompactJws.text(payload, "payload"));
        } catch (InvalidJwtException e) {
            throw rejected(RejectedTokenException.Reason.MALFORMED,
                    "its payload is not a JSON object with unique member names");
        }
        Map<String, Object> json = claims.getClaimsMap();
        long skew = policy.clockSkew().toSeconds();
        long exp = numericDate(json, "exp");
        long iat = numericDate(json, "iat");
        if (now - skew >= exp) {
            throw rejected(RejectedTokenException.Reason.EXPIRED,
                    "it is no longer valid (exp " + exp + ", now " + now + ", skew " + skew + " s)");
        }
        if (iat > now + skew) {
            throw rejected(RejectedTokenException.Reason.EXPIRED,
                    "its iat " + iat + " is ahead of now " + now + " by more than the skew");
        }
        if (json.containsKey("nbf") && numericDate(json, "nbf") > now + skew) {
            throw rejected(RejectedTokenException.Reason.EXPIRED, "it is not valid yet (nbf)");
        }
        if (!policy.issuer().equals(json.get("iss"))) {
            throw rejected(RejectedTokenException.Reason.CLAIMS, "its iss is not '" + policy.issuer() + "'");
        }
        if (!audience(json.get("aud"), policy.audience())) {
            throw rejected(RejectedTokenException.Reason.CLAIMS, "its aud does not contain '" + policy.audience() + "'");
        }
        requireText(json, "sub");
        requireText(json, "jti");
        return new AccessTokenClaims(claims, iat, exp);
    }

    private static long numericDate(Map<String, Object> json, String name) {
        Object value = json.get(name);
        if (value == null) {
            throw rejected(RejectedTokenException.Reason.CLAIMS, "it has no " + name);
        }
        if (!(value instanceof Long seconds) || seconds < 0 || seconds > LATEST) {
            throw rejected(RejectedTokenException.Reason.CLAIMS, "its " + name + " is not an integer between 0 and " + LATEST);
        }
        return seconds;
    }

    private static boolean audience(Object aud, String expected) {
        if (aud instanceof String single) {
            return single.equals(expected);
        }
        return aud instanceof List<?> list && list.contains(expected);
    }

    private static void requireText(Map<String, Object> json, String name) {
        if (!(json.get(name) instanceof String text) || text.isEmpty()) {
            throw rejected(RejectedTokenException.Reason.CLAIMS, "its " + name + " is not a non-empty string");
        }
    }

    private static RejectedTokenException rejected(RejectedTokenException.Reason reason, String message) {
        return new RejectedTokenException(reason, message, null);
    }
}
