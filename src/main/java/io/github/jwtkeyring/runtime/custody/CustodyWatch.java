package io.github.jwtkeyring.runtime.custody;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.keys.KeyCustody;
import io.github.jwtkeyring.keys.KeyMaterial;
import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.rotation.KeyRingManager;

/**
 * Watches the key custody: at each rotation check it signs a probe with the ACTIVE key on the token (or lists the
 * token's keys when the ACTIVE key is not held there). When the token cannot be used, signing answers 503 while
 * verification goes on with the public keys in memory; the watch says so once, reconnects (the library as loaded,
 * then a fresh load of it), finds the ring's keys again and says when the token is back.
 */
@ApplicationScoped
public class CustodyWatch {

    private static final Logger LOG = Logger.getLogger(CustodyWatch.class);
    private static final byte[] PROBE = "jwt-keyring custody probe".getBytes(StandardCharsets.US_ASCII);

    @Inject
    CustodySource source;

    @Inject
    KeyRingManager manager;

    private volatile String problem;

    /** Probes the custody, and reconnects it if the probe fails; called by the periodic work. */
    public synchronized void check() {
        Optional<KeyCustody> custody = source.opened();
        if (custody.isEmpty() || !manager.loaded()) {
            return;
        }
        try {
            probe(custody.get(), manager.current());
            if (problem != null) {
                problem = null;
                LOG.infof("The %s answers again: keys sign there again", custody.get().describe());
            }
            return;
        } catch (RuntimeException e) {
            if (problem == null) {
                LOG.warnf("The %s cannot be used (%s): token endpoints answer 503 and verification goes on with the "
                        + "public keys held in memory; reconnecting", custody.get().describe(), e.getMessage());
            }
            problem = e.getMessage();
        }
        reconnect(custody.get());
    }

    private void reconnect(KeyCustody custody) {
        for (boolean reloadLibrary : new boolean[] { false, true }) {
            try {
                custody.reconnect(reloadLibrary);
                probe(custody, manager.refreshMaterial());
                problem = null;
                LOG.infof("Reconnected to the %s: keys sign there again", custody.describe());
                return;
            } catch (RuntimeException e) {
                problem = e.getMessage();
                LOG.debugf("Reconnecting to the %s failed: %s", custody.describe(), e.getMessage());
            }
        }
    }

    private static void probe(KeyCustody custody, KeyRing ring) {
        ManagedKey active = ring.active();
        KeyMaterial material = active.requireMaterial();
        if (material.custody().isPresent()) {
            material.sign(PROBE);
        } else {
            custody.kids();
        }
    }

    /** Why the custody cannot be used, or empty while it can. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }
}
