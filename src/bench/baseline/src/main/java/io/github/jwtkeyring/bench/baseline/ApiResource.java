package io.github.jwtkeyring.bench.baseline;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * The keyring's {@code GET /api/me} and {@code GET /api/public}, line for line (same record, same kid lookup, same
 * greeting), so that the benchmark compares verification and nothing else.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class ApiResource {

    /**
     * What {@code /api/me} returns.
     *
     * @param sub the token's subject
     * @param groups its groups
     * @param kid the key that signed it
     * @param exp its expiry, in seconds since the epoch
     */
    public record Me(String sub, Set<String> groups, String kid, long exp) {
    }

    @Inject
    JsonWebToken jwt;

    @GET
    @Path("/me")
    @RolesAllowed("user")
    public Me me() {
        return new Me(jwt.getSubject(), new TreeSet<>(jwt.getGroups()), kid(jwt.getRawToken()),
                jwt.getExpirationTime());
    }

    /** The benchmark's ceiling: no token, no verification; the same answer as the keyring's. */
    @GET
    @Path("/public")
    @PermitAll
    public Map<String, String> hello() {
        return Map.of("message", "Hello from JWT Keyring.");
    }

    private static String kid(String rawToken) {
        int dot = rawToken.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        try {
            String header = new String(Base64.getUrlDecoder().decode(rawToken.substring(0, dot)), StandardCharsets.UTF_8);
            Object kid = JsonUtil.parseJson(header).get("kid");
            return kid == null ? null : kid.toString();
        } catch (JoseException | IllegalArgumentException e) {
            return null;
        }
    }
}
