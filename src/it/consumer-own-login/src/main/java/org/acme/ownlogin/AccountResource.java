package org.acme.ownlogin;

import java.util.Map;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.github.jwtkeyring.issue.RefreshTokens;
import io.github.jwtkeyring.issue.TokenPair;

/**
 * The application's own login and refresh, built on the module's RefreshTokens, and an endpoint of its own that the
 * tokens open. A test fixture: the login trusts the form (a real application checks credentials first).
 */
@Path("/account")
public class AccountResource {

    @Inject
    RefreshTokens refreshTokens;

    @Inject
    JsonWebToken jwt;

    @POST
    @Path("/login")
    public Map<String, String> login(@FormParam("user") String user) {
        return pair(refreshTokens.login(user, Set.of("writer")));
    }

    @POST
    @Path("/refresh")
    public Map<String, String> refresh(@FormParam("refresh_token") String refreshToken) {
        return pair(refreshTokens.refresh(refreshToken));
    }

    @GET
    @Path("/notes")
    @RolesAllowed("writer")
    public String notes() {
        return "notes of " + jwt.getSubject();
    }

    private static Map<String, String> pair(TokenPair pair) {
        return Map.of("access", pair.access().token(), "refresh", pair.refreshToken());
    }
}
