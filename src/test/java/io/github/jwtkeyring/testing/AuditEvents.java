package io.github.jwtkeyring.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.github.jwtkeyring.runtime.audit.AuditEvent;

/** An application bean that observes the module's audit events, as an application's own code would. */
@Singleton
public class AuditEvents {

    private final List<AuditEvent> seen = new CopyOnWriteArrayList<>();

    void on(@Observes AuditEvent event) {
        seen.add(event);
    }

    /** Every event observed since the application started. */
    public List<AuditEvent> seen() {
        return List.copyOf(seen);
    }
}
