package io.github.jwtkeyring.verify;

import java.time.Instant;

import org.jose4j.jwt.JwtClaims;

/**
 * An access token that passed verification.
 *
 * @param claims its claims, as SmallRye JWT's principal takes them
 * @param kid the key that signed it
 * @param type its {@code typ} header
 * @param issuedAt its {@code iat}
 * @param expires its {@code exp}
 */
public record VerifiedToken(JwtClaims claims, String kid, String type, Instant issuedAt, Instant expires) {
}
