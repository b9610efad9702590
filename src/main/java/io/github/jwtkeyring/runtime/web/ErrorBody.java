package io.github.jwtkeyring.runtime.web;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The JSON body of the module's error responses, as the OpenAPI document describes it: RFC 6749 §5.2's {@code error}
 * code, with an {@code error_description} sentence where the module gives one (never for a refused refresh token: the
 * code is all a client learns). {@link OAuthErrors}, {@link KeyringExceptionMappers} and the login throttle write this
 * shape as a map; the record exists for the document only, and nothing constructs it.
 *
 * @param error the error code
 * @param errorDescription a sentence for people, absent from the token endpoint's 400 answers
 */
@Schema(name = "KeyringError", description = "An error, in the shape of RFC 6749 §5.2.")
record ErrorBody(
        @Schema(required = true, description = "The error code, e.g. invalid_grant, too_many_attempts, "
                + "temporarily_unavailable, unknown_key, illegal_transition.") String error,
        @JsonProperty("error_description") @Schema(description = "A sentence for people; absent from the "
                + "token endpoint's 400 answers.") String errorDescription) {
}
