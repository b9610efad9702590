package io.github.jwtkeyring.demo;

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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.github.jwtkeyring.runtime.web.AccessTokens;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;

/**
 * Demo endpoints protected the ordinary SmallRye JWT way, to show that the key ring changes nothing for them. They
 * belong to the service: the published jar leaves this package out, and they exist only where
 * {@code keyring.endpoints.demo.enabled=true} at build time (the service's own application.properties).
 */
@EndpointDisabled(name = "keyring.endpoints.demo.enabled", stringValue = "false", disableIfMissing = true)
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Demo", description = "The demo service's own endpoints, protected the ordinary SmallRye JWT way.")
public class ApiResource {

    /** The bearer scheme that the module's resources declare. */
    private static final String BEARER = "keyring-bearer";
    private static final String UNAUTHORIZED = "No bearer token, or a rejected one (WWW-Authenticate: Bearer "
            + "error=\"invalid_token\").";

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
    @Operation(summary = "The caller's token: subject, groups, signing key, expiry")
    @SecurityRequirement(name = BEARER)
    @APIResponse(responseCode = "200", description = "The token's claims.")
    @APIResponse(responseCode = "401", description = UNAUTHORIZED)
    @APIResponse(responseCode = "403", description = "The token does not carry the role user.")
    public Me me() {
        return new Me(jwt.getSubject(), new TreeSet<>(jwt.getGroups()), AccessTokens.kid(jwt).orElse(null),
                jwt.getExpirationTime());
    }

    /** A public endpoint without a token, e.g. for load balancers, and the ceiling of the HTTP benchmark. */
    @GET
    @Path("/public")
    @PermitAll
    @Operation(summary = "A greeting, without a token")
    public Map<String, String> hello() {
        return Map.of("message", "Hello from JWT Keyring.");
    }

    @GET
    @Path("/admin")
    @RolesAllowed("admin")
    @Operation(summary = "A greeting for administrators")
    @SecurityRequirement(name = BEARER)
    @APIResponse(responseCode = "200", description = "The greeting.")
    @APIResponse(responseCode = "401", description = UNAUTHORIZED)
    @APIResponse(responseCode = "403", description = "The token does not carry the role admin.")
    public Map<String, String> admin() {
        return Map.of("message", "Hello, administrator " + jwt.getSubject() + ".");
    }
}
