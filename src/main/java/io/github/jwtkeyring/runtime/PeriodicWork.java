package io.github.jwtkeyring.runtime;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.revocation.TokenLedger;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.runtime.config.KeyringSettings;
import io.github.jwtkeyring.runtime.custody.CustodyWatch;
import io.github.jwtkeyring.runtime.storage.ClusterSync;
import io.quarkus.scheduler.Scheduled;

/**
 * The module's periodic work, each task on a worker thread at its own configured interval: applying due key
 * transitions ({@code keyring.rotation.check-interval}), forgetting expired ledger entries
 * ({@code keyring.revocation.prune-interval}) and, with shared storage, reloading what other nodes changed. Each
 * task is a one-second heartbeat that runs when its interval has passed, so the intervals come from
 * {@link KeyringSettings} like every other setting; with a PKCS#11 custody, probing the token (and reconnecting it) at
 * the rotation check interval; a failed run is logged and retried at the next one.
 */
@ApplicationScoped
public class PeriodicWork {

    private static final Logger LOG = Logger.getLogger(PeriodicWork.class);

    @Inject
    KeyringStartup startup;

    // looked up only once the module has started: a store that stops startup must not fail here first
    @Inject
    Instance<KeyringSettings> settings;

    @Inject
    Instance<KeyRingManager> manager;

    @Inject
    Instance<TokenLedger> ledger;

    @Inject
    ClusterSync cluster;

    @Inject
    Instance<CustodyWatch> custodyWatch;

    private final Every rotation = new Every();
    private final Every prune = new Every();
    private final Every reload = new Every();
    private final Every custody = new Every();

    @Scheduled(identity = "keyring-rotation", every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void rotation() {
        if (startup.started() && rotation.due(settings.get().checkInterval())) {
            try {
                manager.get().tick();
            } catch (KeyringException e) {
                LOG.errorf("Scheduled key rotation failed and will be retried: %s", e.getMessage());
            }
        }
    }

    @Scheduled(identity = "keyring-custody", every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void custody() {
        if (startup.started() && custody.due(settings.get().checkInterval())) {
            custodyWatch.get().check();
        }
    }

    @Scheduled(identity = "keyring-ledger-prune", every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void prune() {
        if (startup.started() && prune.due(settings.get().pruneInterval())) {
            try {
                int removed = ledger.get().prune();
                if (removed > 0) {
                    LOG.debugf("Forgot %d expired token ledger entries", removed);
                }
            } catch (KeyringException e) {
                LOG.errorf("Pruning the token ledger failed and will be retried: %s", e.getMessage());
            }
        }
    }

    @Scheduled(identity = "keyring-cluster-reload", every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reload() {
        if (startup.started() && cluster.reloadInterval().map(reload::due).orElse(false)) {
            cluster.reload();
        }
    }

    /** When a task last ran, on the monotonic clock: the first run comes one interval after startup. */
    private static final class Every {

        private long last = System.nanoTime();

        synchronized boolean due(Duration interval) {
            long now = System.nanoTime();
            if (now - last < interval.toNanos()) {
                return false;
            }
            last = now;
            return true;
        }
    }
}
