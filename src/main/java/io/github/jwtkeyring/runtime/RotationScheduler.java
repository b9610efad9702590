package io.github.jwtkeyring.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.quarkus.scheduler.Scheduled;

/**
 * Moves the ring along its schedule: checks every {@code keyring.rotation.check-interval} which transitions are due.
 * Runs on a worker thread; a failed check (the store refused a write) is logged and retried at the next one.
 */
@ApplicationScoped
public class RotationScheduler {

    private static final Logger LOG = Logger.getLogger(RotationScheduler.class);

    @Inject
    KeyRingManager manager;

    @Scheduled(every = "${keyring.rotation.check-interval:10s}", delayed = "${keyring.rotation.check-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        if (!manager.loaded()) {
            return;
        }
        try {
            manager.tick();
        } catch (KeyringException e) {
            LOG.errorf("Scheduled key rotation failed and will be retried: %s", e.getMessage());
        }
    }
}
