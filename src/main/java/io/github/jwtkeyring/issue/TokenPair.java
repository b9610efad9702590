package io.github.jwtkeyring.issue;

import java.time.Instant;

/**
 * An access token with the refresh token that can replace it.
 *
 * @param access the access token
 * @param refreshToken the opaque refresh token, or {@code null} if none could be recorded; a credential, so
 *        {@code toString()} leaves it out
 * @param refreshExpiresAt when the refresh token expires, or {@code null} without one
 */
public record TokenPair(IssuedToken access, String refreshToken, Instant refreshExpiresAt) {

    @Override
    public String toString() {
        return "TokenPair[" + access + ", refresh expires " + refreshExpiresAt + "]";
    }
}
