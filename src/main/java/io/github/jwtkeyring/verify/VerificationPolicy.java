package io.github.jwtkeyring.verify;

import java.time.Duration;

/**
 * What an accepted access token must satisfy beyond its signature.
 *
 * @param issuer the required {@code iss}
 * @param audience the audience {@code aud} must contain
 * @param clockSkew the tolerance for {@code exp} and {@code iat}
 * @param tokenType the required {@code typ} header
 */
public record VerificationPolicy(String issuer, String audience, Duration clockSkew, String tokenType) {
}
