package io.github.jwtkeyring.web;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.rotation.KeyRingManager;

/**
 * Key administration, for the role {@code admin}: list the keys, rotate now, revoke a compromised key. Each answer is
 * the metadata of every key after the operation.
 */
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

    @POST
    @Path("/rotate")
    public List<KeyView> rotate() {
        return views(manager.rotateNow());
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
