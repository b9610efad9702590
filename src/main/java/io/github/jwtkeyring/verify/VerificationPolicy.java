package io.github.jwtkeyring.verify;

import java.time.Duration;

/**
 * What an accepted access token must satisfy beyond its signature.
 *
 * @param issuer the required {@code iss}
 * @param audience the audience {@code aud} must contain
 * @param clockSkew the tolerance for {@code exp}, {@code iat}, {@code nbf} and the signing windows of keys
 * @param tokenType the required {@code typ} header
 * @param maxTokenLength the longest token read at all, in bytes (characters: only ASCII is accepted)
 * @param propagation how long a node sharing the ring may still work with a ring another node has changed (zero for
 *        one node): how long after its retirement a key may still have signed, and how early a PENDING key
 */
public record VerificationPolicy(String issuer, String audience, Duration clockSkew, String tokenType,
        int maxTokenLength, Duration propagation) {

    /** The default of {@code keyring.verify.max-token-bytes}. */
    public static final int DEFAULT_MAX_TOKEN_LENGTH = 8192;

    /** A policy for one node with the default size limit. */
    public VerificationPolicy(String issuer, String audience, Duration clockSkew, String tokenType) {
        this(issuer, audience, clockSkew, tokenType, DEFAULT_MAX_TOKEN_LENGTH, Duration.ZERO);
    }
}
