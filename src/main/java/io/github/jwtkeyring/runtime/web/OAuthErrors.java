package io.github.jwtkeyring.runtime.web;

import java.util.Map;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Token endpoint errors as RFC 6749 §5.2 has them: HTTP 400 and {@code {"error": "..."}}, never cached. The code is
 * all a client learns; why a grant was refused goes to the debug log.
 */
final class OAuthErrors {

    private OAuthErrors() {
    }

    static Response of(String error) {
        return noStore(Response.status(Response.Status.BAD_REQUEST)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", error)))
                .build();
    }

    /** Token endpoint responses carry credentials or say something about them: never cached (RFC 6749 §5.1). */
    static Response.ResponseBuilder noStore(Response.ResponseBuilder response) {
        return response.header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache");
    }
}
