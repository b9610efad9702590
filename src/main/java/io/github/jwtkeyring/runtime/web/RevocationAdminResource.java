package io.github.jwtkeyring.runtime.web;

import java.util.Map;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

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
