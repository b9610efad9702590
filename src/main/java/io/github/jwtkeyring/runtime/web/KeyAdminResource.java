package io.github.jwtkeyring.runtime.web;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;

/**
 * Key administration, for the role {@code admin}: list the keys, rotate now, revoke a compromised key. Each answer is
 * the metadata of every key after the operation.
 */
@EndpointDisabled(name = "keyring.endpoints.admin.enabled", stringValue = "false")
@Path("/admin/keys")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
// @formatter:off
@Tag(name = "Key administration",
        description = "The signing keys' metadata, rotation now, revocation of a compromised key; for the role admin.")
@SecurityScheme(securitySchemeName = ApiDocs.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "JWT", description = ApiDocs.BEARER_DESCRIPTION)
@SecurityRequirement(name = ApiDocs.BEARER)
@APIResponse(responseCode = "401", description = ApiDocs.UNAUTHORIZED,
        headers = @Header(name = HttpHeaders.WWW_AUTHENTICATE, description = ApiDocs.CHALLENGE,
                schema = @Schema(type = SchemaType.STRING)))
@APIResponse(responseCode = "403", description = ApiDocs.FORBIDDEN)
// @formatter:on
public class KeyAdminResource {

    @Inject
    KeyRingManager manager;

    @GET
    // @formatter:off
    @Operation(summary = "List the keys", description = "The metadata of every key in the ring; never key material.")
    @APIResponse(responseCode = "200", description = "The keys.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = KeyView.class)))
    // @formatter:on
    public List<KeyView> list() {
        return views(manager.current());
    }

    /**
     * Rotates the key named by {@code kid}, or without it the key that was ACTIVE when the request arrived (see
     * {@link RotationRequests}); if that key has been rotated meanwhile, by another node or request, nothing more
     * happens. Naming the kid makes a retried or duplicated request harmless.
     * <p>
     * 200 when the successor signs now. 202 when it has not been published long enough for every verifier's cached
     * JWKS to hold it: it is scheduled, and its {@code activates} says when it will sign. {@code force=true} makes it
     * sign at once all the same.
     */
    @POST
    @Path("/rotate")
    @RotationRequests.NoteActiveKey
    // @formatter:off
    @Operation(summary = "Rotate now", description = "Rotates the key named by kid, or without it the key that was "
            + "ACTIVE when the request arrived; if that key has been rotated meanwhile, nothing more happens.")
    @Parameter(name = "kid", description = "The key to rotate; naming it makes a retried or duplicated request "
            + "harmless.")
    @Parameter(name = "force", description = "Make the successor sign at once, even before every verifier's cached "
            + "JWKS holds it.")
    @APIResponse(responseCode = "200", description = "The successor signs now; the keys after the rotation.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = KeyView.class)))
    @APIResponse(responseCode = "202", description = "The successor has not been published long enough for every "
            + "verifier's cached JWKS to hold it: it is scheduled, and its activates says when it will sign.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = KeyView.class)))
    @APIResponse(responseCode = "404", description = "unknown_key: no key has this kid.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "409", description = "illegal_transition or unsupported_operation (keys derived "
            + "from a master secret rotate on their own schedule only).",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE,
            headers = @Header(name = "Retry-After", description = ApiDocs.RETRY_AFTER,
                    schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ErrorBody.class)))
    // @formatter:on
    public Response rotate(@QueryParam("kid") String kid, @QueryParam("force") boolean force,
            @Context ContainerRequestContext request) {
        Object noted = kid != null ? kid : request.getProperty(RotationRequests.ACTIVE_ON_ARRIVAL);
        String asked = noted instanceof String active ? active : manager.current().active().kid();
        KeyRing after = manager.rotate(asked, force);
        boolean scheduled = after.active().kid().equals(asked);
        return Response.status(scheduled ? Response.Status.ACCEPTED : Response.Status.OK).entity(views(after))
                .build();
    }

    @POST
    @Path("/{kid}/revoke")
    // @formatter:off
    @Operation(summary = "Revoke a compromised key", description = "Tokens it signed stop verifying at once; if it "
            + "was ACTIVE, a successor signs from now on.")
    @APIResponse(responseCode = "200", description = "The keys after the revocation.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = KeyView.class)))
    @APIResponse(responseCode = "404", description = "unknown_key: no key has this kid.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "409", description = "illegal_transition (the key is DESTROYED) or unsupported_operation "
            + "(keys derived from a master secret are not revoked one by one).",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE,
            headers = @Header(name = "Retry-After", description = ApiDocs.RETRY_AFTER,
                    schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ErrorBody.class)))
    // @formatter:on
    public List<KeyView> revoke(@PathParam("kid") String kid) {
        return views(manager.revoke(kid));
    }

    private static List<KeyView> views(KeyRing ring) {
        return ring.keys().stream().map(ManagedKey::metadata).map(KeyView::of).toList();
    }
}
