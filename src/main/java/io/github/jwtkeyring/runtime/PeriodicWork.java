package io.github.jwtkeyring.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.revocation.TokenLedger;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.runtime.config.KeyringSettings;
import io.github.jwtkeyring.runtime.custody.CustodyWatch;
import io.github.jwtkeyring.runtime.storage.ClusterSync;
import io.quarkus.runtime.ShutdownEvent;

/**
 * The module's periodic work: applying due key transitions ({@code keyring.rotation.check-interval}), probing a
 * PKCS#11 custody (and reconnecting it) at the same interval, forgetting expired ledger entries
 * ({@code keyring.revocation.prune-interval}) and, with shared storage, reloading what other nodes changed.
 * <p>
 * Each task has its own daemon thread, so a task waiting on an unreachable database or token delays no other, and
 * runs one interval after the previous run ended (a run never overlaps itself). The threads start only once
 * {@link KeyringStartup} has loaded the ring, so an application that refuses to start runs none of this, and they
 * stop with the application. A failed run is logged and retried at the next one.
 */
@ApplicationScoped
public class PeriodicWork {

    private static final Logger LOG = Logger.getLogger(PeriodicWork.class);

    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

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

    private final List<ScheduledExecutorService> running = new ArrayList<>();

    /** Starts the tasks; called by {@link KeyringStartup} once the ring and the ledger are loaded. */
    synchronized void start() {
        if (!running.isEmpty()) {
            return;
        }
        KeyringSettings settings = this.settings.get();
        every("keyring-rotation", settings.checkInterval(), this::rotation);
        every("keyring-custody", settings.checkInterval(), () -> custodyWatch.get().check());
        every("keyring-ledger-prune", settings.pruneInterval(), this::prune);
        cluster.reloadInterval().ifPresent(interval -> every("keyring-cluster-reload", interval, cluster::reload));
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        running.forEach(ScheduledExecutorService::shutdown);
        for (ScheduledExecutorService executor : running) {
            try {
                if (!executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        running.clear();
    }

    private void rotation() {
        try {
            manager.get().tick();
        } catch (KeyringException e) {
            LOG.errorf("Scheduled key rotation failed and will be retried: %s", e.getMessage());
        }
    }

    private void prune() {
        try {
            int removed = ledger.get().prune();
            if (removed > 0) {
                LOG.debugf("Forgot %d expired token ledger entries", removed);
            }
        } catch (KeyringException e) {
            LOG.errorf("Pruning the token ledger failed and will be retried: %s", e.getMessage());
        }
    }

    private void every(String name, Duration interval, Runnable task) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        long nanos = interval.toNanos();
        // an exception that escapes a scheduled task cancels its later runs: each run catches its own
        executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.errorf("Periodic task %s failed and will run again in %s: %s", name, interval, e.toString());
            }
        }, nanos, nanos, TimeUnit.NANOSECONDS);
        running.add(executor);
    }
}
