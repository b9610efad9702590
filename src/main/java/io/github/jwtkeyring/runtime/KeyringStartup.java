package io.github.jwtkeyring.runtime;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.revocation.TokenLedger;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.runtime.audit.AuditEvent;
import io.github.jwtkeyring.runtime.audit.AuditTrail;
import io.github.jwtkeyring.runtime.config.KeyringConfig;
import io.github.jwtkeyring.runtime.config.KeyringSettings;
import io.github.jwtkeyring.runtime.storage.ClusterSync;
import io.github.jwtkeyring.store.Storage;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Starts the module with the application: checks the configuration (every problem at once), loads the key ring and
 * the token ledger, and joins the cluster if the storage is shared. Anything that stops it is reported as one message
 * without a stack trace, and the application does not start.
 */
@ApplicationScoped
public class KeyringStartup {

    private static final Logger LOG = Logger.getLogger(KeyringStartup.class);

    @Inject
    Instance<KeyringSettings> settings;

    @Inject
    Instance<Storage> storage;

    @Inject
    Instance<KeyRingManager> manager;

    @Inject
    Instance<TokenLedger> ledger;

    @Inject
    ClusterSync cluster;

    @Inject
    AuditTrail audit;

    @Inject
    PeriodicWork periodicWork;

    void start(@Observes StartupEvent event) {
        KeyringSettings settings = this.settings.get();
        try {
            manager.get().start();
            ledger.get().load();
        } catch (RuntimeException e) {
            RuntimeException refusal = refusal(e);
            if (refusal instanceof ConfigurationException) {
                audit.record(AuditEvent.Action.STARTUP_REFUSED, AuditEvent.Actor.STARTUP,
                        Map.of("reason", refusal.getMessage()));
            }
            throw refusal;
        }
        cluster.start();
        periodicWork.start();
        LOG.infof("JWT Keyring: bearer tokens of issuer '%s' are verified with the key ring only, by kid; keys "
                + "configured for SmallRye JWT are not used%s. Storage (keyring.store.type=%s): %s.",
                settings.issuer().issuer(),
                settings.otherIssuers() == KeyringConfig.OtherIssuers.DELEGATE
                        ? ", except for tokens of other issuers, which SmallRye JWT verifies with mp.jwt.verify.*"
                        : "",
                settings.storeType(), storage.get().describe());
    }

    /**
     * A failure of the module's own (a store that cannot be read, a missing secret) as one message without a stack
     * trace; anything else as it is.
     */
    private static RuntimeException refusal(RuntimeException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof KeyringException keyring) {
                return new ConfigurationException("JWT Keyring cannot start: " + keyring.getMessage());
            }
        }
        return failure;
    }
}
