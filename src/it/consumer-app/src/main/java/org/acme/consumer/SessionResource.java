package org.acme.consumer;

import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import io.github.jwtkeyring.issue.AccessTokenRequest;
import io.github.jwtkeyring.issue.TokenIssuer;

/**
 * The application's own sign-in, issuing tokens with the module's TokenIssuer. A test fixture: it trusts the form
 * (a real application checks credentials first).
 */
@Path("/session")
public class SessionResource {

    @Inject
    TokenIssuer issuer;

    @POST
    public String signIn(@FormParam("user") String user, @FormParam("roles") String roles) {
        return issuer.issue(AccessTokenRequest.of(user, Set.of(roles.split(",")))
                .withClaims(Map.of("tenant", "acme"))).token();
    }
}
