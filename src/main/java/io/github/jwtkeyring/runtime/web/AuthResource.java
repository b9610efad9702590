package io.github.jwtkeyring.runtime.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import io.github.jwtkeyring.issue.RefreshFamilies;
import io.github.jwtkeyring.issue.RefreshTokens;
import io.github.jwtkeyring.issue.TokenPair;
import io.github.jwtkeyring.revocation.InvalidGrantException;
import io.github.jwtkeyring.revocation.TokenLedger;
import io.github.jwtkeyring.runtime.audit.AuditEvent.Action;
import io.github.jwtkeyring.runtime.audit.AuditTrail;
import io.github.jwtkeyring.runtime.config.KeyringSettings;
import io.github.jwtkeyring.runtime.metrics.KeyringMetrics;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import io.quarkus.security.Authenticated;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.vertx.core.http.HttpServerRequest;

/**
 * The token endpoints: {@code POST /auth/login} (HTTP Basic credentials in, access and refresh token out; credentials
 * are checked by whatever Quarkus identity provider of the application handles user names and passwords; without one,
 * every login gets 401), {@code POST /auth/refresh} (RFC 6749 §6), {@code POST /auth/logout} and {@code POST /auth/logout-all}.
 */
@EndpointDisabled(name = "keyring.endpoints.token.enabled", stringValue = "false")
@Path("/auth")
// @formatter:off
@Tag(name = "Tokens", description = "Log in, refresh, log out: access and refresh tokens issued by the key ring.")
@SecurityScheme(securitySchemeName = ApiDocs.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "JWT", description = ApiDocs.BEARER_DESCRIPTION)
@SecurityScheme(securitySchemeName = ApiDocs.BASIC, type = SecuritySchemeType.HTTP, scheme = "basic",
        description = ApiDocs.BASIC_DESCRIPTION)
@APIResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE,
        headers = @Header(name = "Retry-After", description = ApiDocs.RETRY_AFTER,
                schema = @Schema(type = SchemaType.INTEGER)),
        content = @Content(mediaType = MediaType.APPLICATION_JSON,
                schema = @Schema(implementation = ErrorBody.class)))
// @formatter:on
public class AuthResource {

    private static final Logger LOG = Logger.getLogger(AuthResource.class);
    private static final String BASIC = "Basic ";

    @Inject
    IdentityProviderManager identities;

    @Inject
    PasswordLogins passwordLogins;

    @Inject
    RefreshTokens refreshTokens;

    @Inject
    RefreshFamilies refreshFamilies;

    @Inject
    TokenLedger ledger;

    @Inject
    JsonWebToken jwt;

    @Inject
    KeyringSettings settings;

    @Inject
    InstantSource clock;

    @Inject
    AuditTrail audit;

    @Inject
    KeyringMetrics metrics;

    private Optional<LoginThrottle> throttle = Optional.empty();

    @PostConstruct
    void throttle() {
        throttle = settings.loginThrottle().map(limits -> new LoginThrottle(
                new LoginThrottle.Limit(limits.accountFailures(), limits.accountPeriod()),
                new LoginThrottle.Limit(limits.addressFailures(), limits.addressPeriod()), clock));
    }

    /**
     * Logs in with HTTP Basic credentials: a token response, 401 for credentials the application's identity provider
     * refuses, 429 with {@code Retry-After} while failed logins of that account or from that address are throttled.
     */
    @POST
    @Path("/login")
    @Produces(MediaType.APPLICATION_JSON)
    // @formatter:off
    @Operation(summary = "Log in with HTTP Basic credentials",
            description = "An access token and a refresh token (RFC 6749 §5.1), never cached.")
    @SecurityRequirement(name = ApiDocs.BASIC)
    @APIResponse(responseCode = "200", description = "Logged in.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "401", description = "No Basic credentials, or credentials that the application's "
            + "identity provider refused (or the application has none).",
            headers = @Header(name = HttpHeaders.WWW_AUTHENTICATE,
                    description = "Basic realm=\"jwt-keyring\", charset=\"UTF-8\"",
                    schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "429", description = "too_many_attempts: too many failed logins of this account or "
            + "from this address.",
            headers = @Header(name = "Retry-After", description = ApiDocs.RETRY_AFTER,
                    schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ErrorBody.class)))
    // @formatter:on
    public Response login(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest http) {
        UsernamePasswordAuthenticationRequest credentials = basicCredentials(authorization);
        if (credentials == null || !passwordLogins.available()) {
            return unauthorized();
        }
        String user = credentials.getUsername();
        String client = http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
        Optional<Duration> wait = throttle.flatMap(t -> t.wait(user, client));
        if (wait.isPresent()) {
            LOG.debugf("Login of '%s' throttled for %s", user, wait.get());
            metrics.loginThrottled();
            audit.record(Action.LOGIN_THROTTLED, Map.of("user", user, "retry_after", wait.get().toString()));
            return tooManyAttempts(wait.get());
        }
        SecurityIdentity identity;
        try {
            identity = identities.authenticateBlocking(credentials);
        } catch (AuthenticationFailedException | IllegalArgumentException e) {
            LOG.debugf("Login failed for '%s'", user);
            throttle.ifPresent(t -> t.failed(user, client));
            metrics.loginFailed();
            audit.record(Action.LOGIN_FAILED, Map.of("user", user));
            return unauthorized();
        }
        return tokens(refreshTokens.login(identity.getPrincipal().getName(), identity.getRoles()));
    }

    /**
     * Exchanges a refresh token for a new access token and the next refresh token. Errors are RFC 6749 §5.2 JSON:
     * {@code invalid_request} without a token, with a malformed body or a repeated parameter, {@code invalid_grant}
     * for an unknown, expired, reused or revoked one. The body is read here, strictly, rather than by the framework, so
     * that a malformed one is a 400 like any other bad request, and never an error that logs it.
     */
    @POST
    @Path("/refresh")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    // @formatter:off
    @Operation(summary = "Exchange a refresh token (RFC 6749 §6)",
            description = "A new access token and the next refresh token. The one presented is spent: presenting it "
                    + "again revokes its whole family. After a 503 it is still valid for the retry.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
            schema = @Schema(type = SchemaType.OBJECT, requiredProperties = "refresh_token", properties = {
                    @SchemaProperty(name = "grant_type", type = SchemaType.STRING, enumeration = "refresh_token",
                            description = "refresh_token, or absent."),
                    @SchemaProperty(name = "refresh_token", type = SchemaType.STRING,
                            description = "The refresh token of the last token response.") })))
    @APIResponse(responseCode = "200", description = "Refreshed.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "400", description = "RFC 6749 §5.2, error only: invalid_request (no token, a "
            + "malformed body, a repeated parameter), unsupported_grant_type, invalid_grant (an unknown, expired, "
            + "reused or revoked token).",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ErrorBody.class)))
    // @formatter:on
    public Response refresh(String body) {
        Optional<FormBody> form = FormBody.parse(body);
        if (form.isEmpty()) {
            return OAuthErrors.of("invalid_request");
        }
        Optional<String> grantType = form.get().get("grant_type");
        if (grantType.isPresent() && !grantType.get().equals("refresh_token")) {
            return OAuthErrors.of("unsupported_grant_type");
        }
        Optional<String> refreshToken = form.get().get("refresh_token").filter(token -> !token.isEmpty());
        if (refreshToken.isEmpty()) {
            return OAuthErrors.of("invalid_request");
        }
        TokenPair pair;
        try {
            pair = refreshTokens.refresh(refreshToken.get());
        } catch (InvalidGrantException e) {
            refused(e);
            throw e;
        }
        metrics.refreshed();
        return tokens(pair);
    }

    /** Counts a refused refresh; a reuse, which revoked the family as stolen, also goes to the audit trail. */
    private void refused(InvalidGrantException e) {
        metrics.refreshRefused(e.reason());
        if (e.reason() == InvalidGrantException.Reason.REUSED) {
            metrics.revoked(KeyringMetrics.Revocation.REFRESH_REUSE);
            e.family().ifPresent(family -> audit.record(Action.REFRESH_REUSE,
                    Map.of("target", family.subject(), "session", family.id())));
        }
    }

    /** Revokes the caller's access token and its refresh-token family. */
    @POST
    @Path("/logout")
    @Authenticated
    // @formatter:off
    @Operation(summary = "Log out: revoke this access token and its refresh-token family")
    @SecurityRequirement(name = ApiDocs.BEARER)
    @APIResponse(responseCode = "204", description = "Revoked.")
    @APIResponse(responseCode = "401", description = ApiDocs.UNAUTHORIZED,
            headers = @Header(name = HttpHeaders.WWW_AUTHENTICATE, description = ApiDocs.CHALLENGE,
                    schema = @Schema(type = SchemaType.STRING)))
    // @formatter:on
    public void logout() {
        String session = AccessTokens.sessionId(jwt);
        refreshFamilies.logout(jwt.getTokenID(), Instant.ofEpochSecond(jwt.getExpirationTime()), session);
        metrics.revoked(KeyringMetrics.Revocation.LOGOUT);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("jti", jwt.getTokenID());
        if (session != null) {
            details.put("session", session);
        }
        audit.record(Action.LOGOUT, details);
    }

    /** Revokes every token of the caller's subject issued until now, refresh families included. */
    @POST
    @Path("/logout-all")
    @Authenticated
    // @formatter:off
    @Operation(summary = "Log out everywhere: revoke every token of the caller's subject")
    @SecurityRequirement(name = ApiDocs.BEARER)
    @APIResponse(responseCode = "204", description = "Revoked.")
    @APIResponse(responseCode = "401", description = ApiDocs.UNAUTHORIZED,
            headers = @Header(name = HttpHeaders.WWW_AUTHENTICATE, description = ApiDocs.CHALLENGE,
                    schema = @Schema(type = SchemaType.STRING)))
    // @formatter:on
    public void logoutAll() {
        ledger.revokeSubject(jwt.getSubject());
        metrics.revoked(KeyringMetrics.Revocation.LOGOUT_ALL);
        audit.record(Action.LOGOUT_ALL, Map.of());
    }

    private static Response tokens(TokenPair pair) {
        return OAuthErrors.noStore(Response.ok(TokenResponse.of(pair))).build();
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

    private static Response tooManyAttempts(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return OAuthErrors.noStore(Response.status(429).header("Retry-After", seconds)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", "too_many_attempts", "error_description", "Too many failed logins; try "
                        + "again in " + seconds + " seconds.")))
                .build();
    }

    private static Response unauthorized() {
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"jwt-keyring\", charset=\"UTF-8\"")
                .build();
    }
}
