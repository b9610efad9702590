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
     */
    @POST
    @Path("/rotate")
    @RotationRequests.NoteActiveKey
    public List<KeyView> rotate(@QueryParam("kid") String kid, @Context ContainerRequestContext request) {
        Object asked = kid != null ? kid : request.getProperty(RotationRequests.ACTIVE_ON_ARRIVAL);
        return views(asked instanceof String active ? manager.rotate(active) : manager.rotateNow());
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
