package io.github.jwtkeyring.runtime.audit;

import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;
import org.jose4j.json.JsonUtil;

import io.github.jwtkeyring.runtime.audit.AuditEvent.Action;
import io.github.jwtkeyring.runtime.audit.AuditEvent.Actor;

/**
 * Writes each {@link AuditEvent} as one JSON line (INFO) to the log category {@value #CATEGORY}, then fires it as a CDI
 * event. Callers pass only names, kids, states and jtis: never a token, a secret or a password. Values that come from
 * a request (a user name, a subject in a path) are cut to {@value #MAX_VALUE} characters; JSON escaping keeps every
 * entry on one line.
 */
@Singleton
public class AuditTrail {

    /** The log category of the audit trail: route it to its own handler to keep the trail apart. */
    public static final String CATEGORY = "io.github.jwtkeyring.audit";

    static final int MAX_VALUE = 200;

    private static final Logger AUDIT = Logger.getLogger(CATEGORY);
    private static final Logger LOG = Logger.getLogger(AuditTrail.class);

    @Inject
    InstantSource clock;

    @Inject
    Event<AuditEvent> events;

    @Inject
    AuditActors actors;

    /** Records {@code action}, caused by the current HTTP caller if there is one, else by the application. */
    public void record(Action action, Map<String, String> details) {
        record(action, actors.current(), details);
    }

    /** Records {@code action}, caused by {@code actor}. */
    public void record(Action action, Actor actor, Map<String, String> details) {
        AuditEvent event = new AuditEvent(clock.instant(), action, actor, details);
        AUDIT.info(line(event));
        try {
            events.fire(event);
        } catch (RuntimeException e) {
            LOG.warnf("An observer of the audit event %s failed (%s); the action stands", action.label(),
                    e.getClass().getName());
        }
    }

    /** The JSON line of {@code event}: time, action, actor, then its details. */
    static String line(AuditEvent event) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("time", event.time().toString());
        json.put("action", event.action().label());
        json.put("by", event.actor().kind());
        event.actor().subject().ifPresent(subject -> json.put("subject", cut(subject)));
        event.actor().address().ifPresent(address -> json.put("address", cut(address)));
        event.details().forEach((name, value) -> json.put(name, cut(value)));
        return JsonUtil.toJson(json);
    }

    private static String cut(String value) {
        return value.length() <= MAX_VALUE ? value : value.substring(0, MAX_VALUE) + "…";
    }
}
