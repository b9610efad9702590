package org.acme.consumer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.github.jwtkeyring.runtime.audit.AuditEvent;

/**
 * The application's own record of key changes, kept from the module's audit events, and shown at
 * {@code GET /key-changes} (a test fixture: a real application would keep it to itself).
 */
@Singleton
@Path("/key-changes")
public class KeyChanges {

    private final List<String> changes = new CopyOnWriteArrayList<>();

    void on(@Observes AuditEvent event) {
        if (event.action() == AuditEvent.Action.KEY_STATE) {
            changes.add(event.details().get("kid") + " " + event.details().getOrDefault("from", "-") + " "
                    + event.details().get("to") + " by " + event.actor().subject().orElse(event.actor().kind()));
        }
    }

    /** One line per key change seen since the application started: kid, old state, new state, by whom. */
    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String changes() {
        return String.join("\n", changes);
    }
}
