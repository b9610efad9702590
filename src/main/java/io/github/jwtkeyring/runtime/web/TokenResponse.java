package io.github.jwtkeyring.runtime.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.github.jwtkeyring.issue.TokenPair;

/**
 * A successful token response in the shape of RFC 6749 §5.1.
 *
 * @param accessToken the access token
 * @param tokenType always {@code Bearer}
 * @param expiresIn the access token's lifetime in seconds
 * @param refreshToken the refresh token that replaces it (RFC 6749 §6); absent if the ledger could not record one
 * @param refreshExpiresIn the refresh token's lifetime in seconds; absent without a refresh token
 */
public record TokenResponse(@JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("refresh_token") @JsonInclude(JsonInclude.Include.NON_NULL) String refreshToken,
        @JsonProperty("refresh_expires_in") @JsonInclude(JsonInclude.Include.NON_NULL) Long refreshExpiresIn) {

    /** The response for a login or a refresh. */
    static TokenResponse of(TokenPair pair) {
        Long refreshSeconds = pair.refreshToken() == null ? null
                : pair.refreshExpiresAt().getEpochSecond() - pair.access().issuedAt().getEpochSecond();
        return new TokenResponse(pair.access().token(), "Bearer", pair.access().expiresIn().toSeconds(),
                pair.refreshToken(), refreshSeconds);
    }

    @Override
    public String toString() {
        return "TokenResponse[expires_in=" + expiresIn + ", refresh_expires_in=" + refreshExpiresIn + "]";
    }
}
