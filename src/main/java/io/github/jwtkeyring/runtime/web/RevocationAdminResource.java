package io.github.jwtkeyring.runtime.web;

import java.util.Map;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

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

import io.github.jwtkeyring.revocation.TokenLedger;
import io.github.jwtkeyring.runtime.audit.AuditEvent.Action;
import io.github.jwtkeyring.runtime.audit.AuditTrail;
import io.github.jwtkeyring.runtime.metrics.KeyringMetrics;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;

/**
 * Token revocation, for the role {@code admin}: every token of a subject (account disabled, password changed), or one
 * access token by its {@code jti}. Both take effect from the next request on and survive restarts.
 */
@EndpointDisabled(name = "keyring.endpoints.admin.enabled", stringValue = "false")
@Path("/admin")
@RolesAllowed("admin")
// @formatter:off
@Tag(name = "Token revocation",
        description = "Revoke every token of a subject, or one access token; for the role admin.")
@SecurityScheme(securitySchemeName = ApiDocs.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "JWT", description = ApiDocs.BEARER_DESCRIPTION)
@SecurityRequirement(name = ApiDocs.BEARER)
@APIResponse(responseCode = "204", description = "Revoked, from the next request on.")
@APIResponse(responseCode = "401", description = ApiDocs.UNAUTHORIZED,
        headers = @Header(name = HttpHeaders.WWW_AUTHENTICATE, description = ApiDocs.CHALLENGE,
                schema = @Schema(type = SchemaType.STRING)))
@APIResponse(responseCode = "403", description = ApiDocs.FORBIDDEN)
@APIResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE,
        headers = @Header(name = "Retry-After", description = ApiDocs.RETRY_AFTER,
                schema = @Schema(type = SchemaType.INTEGER)),
        content = @Content(mediaType = MediaType.APPLICATION_JSON,
                schema = @Schema(implementation = ErrorBody.class)))
// @formatter:on
public class RevocationAdminResource {

    @Inject
    TokenLedger ledger;

    @Inject
    AuditTrail audit;

    @Inject
    KeyringMetrics metrics;

    /** Revokes every token of {@code sub} issued until now, refresh families included. */
    @POST
    @Path("/subjects/{sub}/revoke")
    // @formatter:off
    @Operation(summary = "Revoke every token of a subject",
            description = "Every access and refresh token of sub issued until now; tokens issued later are valid.")
    // @formatter:on
    public void revokeSubject(@PathParam("sub") String subject) {
        ledger.revokeSubject(subject);
        metrics.revoked(KeyringMetrics.Revocation.SUBJECT);
        audit.record(Action.SUBJECT_REVOKED, Map.of("target", subject));
    }

    /**
     * Revokes the access token {@code jti} (form body {@code jti=...}); 400 {@code invalid_request} without one, with a
     * malformed body or a repeated parameter.
     */
    @POST
    @Path("/tokens/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    // @formatter:off
    @Operation(summary = "Revoke one access token by its jti")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
            schema = @Schema(type = SchemaType.OBJECT, requiredProperties = "jti", properties = @SchemaProperty(
                    name = "jti", type = SchemaType.STRING, description = "The jti claim of the access token."))))
    @APIResponse(responseCode = "400", description = "invalid_request: no jti, a malformed body or a repeated parameter "
            + "(RFC 6749 §5.2, error only).",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ErrorBody.class)))
    // @formatter:on
    public Response revokeToken(String body) {
        Optional<String> jti = FormBody.parse(body).flatMap(form -> form.get("jti")).filter(value -> !value.isBlank());
        if (jti.isEmpty()) {
            return OAuthErrors.of("invalid_request");
        }
        ledger.revokeToken(jti.get(), Optional.empty());
        metrics.revoked(KeyringMetrics.Revocation.TOKEN);
        audit.record(Action.TOKEN_REVOKED, Map.of("jti", jti.get()));
        return Response.noContent().build();
    }
}
