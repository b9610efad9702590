package io.github.jwtkeyring.issue;

import java.time.Duration;
import java.time.Instant;

import io.github.jwtkeyring.keys.SigningAlgorithm;

/**
 * A signed access token and what a caller needs to know about it.
 *
 * @param token the compact JWS; a bearer credential, so {@code toString()} leaves it out
 * @param kid the key that signed it
 * @param algorithm the algorithm it was signed with
 * @param jti its unique id
 * @param issuedAt its {@code iat}
 * @param expiresAt its {@code exp}
 */
public record IssuedToken(String token, String kid, SigningAlgorithm algorithm, String jti, Instant issuedAt,
        Instant expiresAt) {

    /** The lifetime, for the {@code expires_in} of a token response. */
    public Duration expiresIn() {
        return Duration.between(issuedAt, expiresAt);
    }

    @Override
    public String toString() {
        return "IssuedToken[kid=" + kid + ", alg=" + algorithm + ", jti=" + jti + ", exp=" + expiresAt + "]";
    }
}
