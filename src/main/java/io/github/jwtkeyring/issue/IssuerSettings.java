package io.github.jwtkeyring.issue;

import java.time.Duration;

/**
 * The fixed parts of every token.
 *
 * @param issuer the {@code iss} claim
 * @param audience the {@code aud} claim
 * @param defaultLifetime the lifetime of a token whose request names none
 */
public record IssuerSettings(String issuer, String audience, Duration defaultLifetime) {
}
