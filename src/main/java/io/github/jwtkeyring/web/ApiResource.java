package io.github.jwtkeyring.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Demo endpoints protected the ordinary SmallRye JWT way, to show that the key ring changes nothing for them.
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

    @Inject
    ObjectMapper mapper;

    @GET
    @Path("/me")
    @RolesAllowed("user")
    public Me me() {
        return new Me(jwt.getSubject(), new TreeSet<>(jwt.getGroups()), kidOf(jwt.getRawToken()),
                jwt.getExpirationTime());
    }

    @GET
    @Path("/admin")
    @RolesAllowed("admin")
    public Map<String, String> admin() {
        return Map.of("message", "Hello, administrator " + jwt.getSubject() + ".");
    }

    /** The kid of a token that has already been verified, read from its protected header. */
    private String kidOf(String token) {
        String header = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                StandardCharsets.UTF_8);
        try {
            return mapper.readTree(header).path("kid").asText(null);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
