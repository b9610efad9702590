package io.github.jwtkeyring.runtime.audit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.rotation.RingListener;
import io.github.jwtkeyring.runtime.audit.AuditEvent.Action;
import io.github.jwtkeyring.runtime.audit.AuditEvent.Actor;

/**
 * Writes one {@code key.state} entry for each key that a ring change created or moved to another state, with its
 * cause: the schedule, startup, another node, or the caller (an administrator's request) or application code that
 * asked for it.
 */
@Singleton
public class RingAudit implements RingListener {

    @Inject
    AuditTrail trail;

    @Inject
    AuditActors actors;

    @Override
    public void changed(KeyRing before, KeyRing after, Cause cause) {
        List<ManagedKey> moved = after.movedSince(before);
        Actor actor = moved.isEmpty() ? null : actor(cause);
        for (ManagedKey key : moved) {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("kid", key.kid());
            details.put("alg", key.algorithm().joseName());
            Optional.ofNullable(before).flatMap(b -> b.find(key.kid())).ifPresent(k -> details.put("from",
                    k.state().name()));
            details.put("to", key.state().name());
            trail.record(Action.KEY_STATE, actor, details);
        }
    }

    private Actor actor(Cause cause) {
        return switch (cause) {
            case STARTUP -> Actor.STARTUP;
            case SCHEDULE -> Actor.SCHEDULE;
            case CLUSTER -> Actor.CLUSTER;
            case COMMAND -> actors.current();
        };
    }
}
