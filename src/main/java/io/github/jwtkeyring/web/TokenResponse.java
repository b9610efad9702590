package io.github.jwtkeyring.web;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A successful token response in the shape of RFC 6749 §5.1.
 *
 * @param accessToken the access token
 * @param tokenType always {@code Bearer}
 * @param expiresIn the access token's lifetime in seconds
 */
public record TokenResponse(@JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn) {
}
