package io.github.jwtkeyring.runtime.health;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.github.jwtkeyring.rotation.DerivedHmacKeyRingManager;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.rotation.RingOutlook;
import io.github.jwtkeyring.runtime.config.KeyringSettings;
import io.github.jwtkeyring.runtime.custody.CustodyWatch;
import io.github.jwtkeyring.runtime.storage.ClusterSync;
import io.github.jwtkeyring.store.Storage;

/**
 * The ring's state as operators see it: its {@link RingOutlook} now, and the warnings that say rotation is at risk
 * while the node still signs and verifies. Readiness, the metrics and the key timeline read it.
 */
@Singleton
public class KeyringStatus {

    /** How much longer than one rotation check a due transition may wait before it counts as overdue. */
    static final Duration MARGIN = Duration.ofSeconds(30);

    // looked up when asked: the health check and the metrics may be asked before the module has started
    @Inject
    Instance<KeyRingManager> manager;

    @Inject
    Instance<KeyringSettings> settings;

    @Inject
    Instance<Storage> storage;

    @Inject
    InstantSource clock;

    @Inject
    ClusterSync cluster;

    @Inject
    CustodyWatch custody;

    /** The outlook of the ring now; empty until the ring is loaded. */
    public Optional<RingOutlook> outlook() {
        KeyRingManager m = manager.get();
        if (!m.loaded()) {
            return Optional.empty();
        }
        Duration grace = settings.get().checkInterval().multipliedBy(2).plus(MARGIN);
        RingOutlook outlook = RingOutlook.of(m.current(), m.policy(), clock.instant(), grace);
        // derived HMAC keys follow the clock itself and are never published: the schedule cannot fall behind
        return Optional.of(m instanceof DerivedHmacKeyRingManager ? outlook.withoutRisks() : outlook);
    }

    /** The warnings now, in {@link Warning} order, each with what it concerns; empty when all is well. */
    public List<Found> warnings() {
        List<Found> found = new ArrayList<>();
        outlook().ifPresent(o -> o.risks().forEach(risk -> found.add(new Found(Warning.of(risk), risk.label()))));
        if (cluster.shared() && !cluster.reachable()) {
            found.add(new Found(Warning.DATABASE_UNREACHABLE, storage.get().describe()));
        }
        custody.problem().ifPresent(problem -> found.add(new Found(Warning.CUSTODY_UNREACHABLE, problem)));
        if (storage.isResolvable()) {
            storage.get().maintenanceProblem().ifPresent(p -> found.add(new Found(Warning.KEK_REWRAP_STUCK, p)));
        }
        found.sort((a, b) -> a.warning().compareTo(b.warning()));
        return List.copyOf(found);
    }

    /**
     * A warning that holds now.
     *
     * @param warning which
     * @param detail what it concerns, for the health data and logs; never a secret
     */
    public record Found(Warning warning, String detail) {
    }
}
