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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

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
public class KeyAdminResource {

    @Inject
    KeyRingManager manager;

    @GET
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
    public List<KeyView> revoke(@PathParam("kid") String kid) {
        return views(manager.revoke(kid));
    }

    private static List<KeyView> views(KeyRing ring) {
        return ring.keys().stream().map(ManagedKey::metadata).map(KeyView::of).toList();
    }
}
