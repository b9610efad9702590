package io.github.jwtkeyring.runtime.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.inject.Inject;
import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.github.jwtkeyring.rotation.KeyRingManager;

/**
 * Notes which key is ACTIVE when {@code POST /admin/keys/rotate} arrives, on the I/O thread, before the request waits
 * for a worker thread: that is the key the request asks to rotate. Noted any later, a node that has meanwhile heard of
 * another node's rotation, asked at the same moment, would rotate the new key as well.
 * <p>
 * The filter is bound by name to the rotate method only, so no other request passes through it.
 */
public class RotationRequests {

    /** The request property holding the kid that was ACTIVE on arrival. */
    static final String ACTIVE_ON_ARRIVAL = "io.github.jwtkeyring.active-on-arrival";

    /** Marks the resource method whose requests get {@link #ACTIVE_ON_ARRIVAL}. */
    @NameBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ ElementType.TYPE, ElementType.METHOD })
    public @interface NoteActiveKey {
    }

    @Inject
    KeyRingManager manager;

    @NoteActiveKey
    @ServerRequestFilter(nonBlocking = true)
    public void noteActiveKey(ContainerRequestContext request) {
        request.setProperty(ACTIVE_ON_ARRIVAL, manager.current().active().kid());
    }
}
