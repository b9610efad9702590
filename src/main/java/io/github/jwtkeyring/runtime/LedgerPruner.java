package io.github.jwtkeyring.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.revocation.TokenLedger;
import io.quarkus.scheduler.Scheduled;

/**
 * Forgets ledger entries whose tokens have expired, every {@code keyring.revocation.prune-interval}, so the revocation
 * list stays bounded. Runs on a worker thread.
 */
@ApplicationScoped
public class LedgerPruner {

    private static final Logger LOG = Logger.getLogger(LedgerPruner.class);

    @Inject
    TokenLedger ledger;

    @Scheduled(every = "${keyring.revocation.prune-interval:PT1M}", delayed = "${keyring.revocation.prune-interval:PT1M}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void prune() {
        try {
            int removed = ledger.prune();
            if (removed > 0) {
                LOG.debugf("Forgot %d expired token ledger entries", removed);
            }
        } catch (KeyringException e) {
            LOG.errorf("Pruning the token ledger failed and will be retried: %s", e.getMessage());
        }
    }
}
