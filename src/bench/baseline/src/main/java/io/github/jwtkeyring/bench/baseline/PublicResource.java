package io.github.jwtkeyring.bench.baseline;

import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /public}: the same no-token answer as {@code /api/public}, outside {@code /api}.
 */
@Path("/public")
@Produces(MediaType.APPLICATION_JSON)
public class PublicResource {

    @GET
    @PermitAll
    public Map<String, String> hello() {
        return Map.of("message", "Hello from JWT Keyring.");
    }
}
