package io.github.jwtkeyring.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.github.jwtkeyring.rotation.KeyRingManager;

/**
 * Notes which key is ACTIVE when {@code POST /admin/keys/rotate} arrives, on the I/O thread, before the request waits
 * for a worker thread: that is the key the request asks to rotate. Noted any later, a node that has meanwhile heard of
 * another node's rotation, asked at the same moment, would rotate the new key as well.
 */
public class RotationRequests {

    /** The request property holding the kid that was ACTIVE on arrival. */
    static final String ACTIVE_ON_ARRIVAL = "io.github.jwtkeyring.active-on-arrival";

    @Inject
    KeyRingManager manager;

    @ServerRequestFilter(preMatching = true)
    public void noteActiveKey(ContainerRequestContext request) {
        if (HttpMethod.POST.equals(request.getMethod()) && "/admin/keys/rotate".equals(request.getUriInfo().getPath())) {
            request.setProperty(ACTIVE_ON_ARRIVAL, manager.current().active().kid());
        }
    }
}
