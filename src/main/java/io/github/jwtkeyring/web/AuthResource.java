package io.github.jwtkeyring.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.issue.AccessTokenRequest;
import io.github.jwtkeyring.issue.IssuedToken;
import io.github.jwtkeyring.issue.TokenIssuer;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;

/**
 * {@code POST /auth/login}: HTTP Basic credentials in, a token response out. Credentials are checked by whatever
 * Quarkus identity provider handles user names and passwords (the embedded users realm by default).
 */
@Path("/auth")
public class AuthResource {

    private static final Logger LOG = Logger.getLogger(AuthResource.class);
    private static final String BASIC = "Basic ";

    @Inject
    IdentityProviderManager identities;

    @Inject
    TokenIssuer issuer;

    @POST
    @Path("/login")
    @Produces(MediaType.APPLICATION_JSON)
    public Response login(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        UsernamePasswordAuthenticationRequest credentials = basicCredentials(authorization);
        if (credentials == null) {
            return unauthorized();
        }
        SecurityIdentity identity;
        try {
            identity = identities.authenticateBlocking(credentials);
        } catch (AuthenticationFailedException e) {
            LOG.debugf("Login failed for '%s'", credentials.getUsername());
            return unauthorized();
        }
        IssuedToken token = issuer.issue(AccessTokenRequest.of(identity.getPrincipal().getName(), identity.getRoles()));
        return Response.ok(new TokenResponse(token.token(), "Bearer", token.expiresIn().toSeconds()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Pragma", "no-cache")
                .build();
    }

    private static UsernamePasswordAuthenticationRequest basicCredentials(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(BASIC.length()).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        return new UsernamePasswordAuthenticationRequest(decoded.substring(0, colon),
                new PasswordCredential(decoded.substring(colon + 1).toCharArray()));
    }

    private static Response unauthorized() {
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"jwt-keyring\", charset=\"UTF-8\"")
                .build();
    }
}
