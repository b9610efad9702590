package io.github.jwtkeyring.runtime.custody;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

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
 * then a fresh load of it), and says when the token is back; the ring's keys are found again on their next use.
 */
@ApplicationScoped
public class CustodyWatch {

    private static final Logger LOG = Logger.getLogger(CustodyWatch.class);
    private static final byte[] PROBE = "jwt-keyring custody probe".getBytes(StandardCharsets.US_ASCII);

    @Inject
    CustodySource source;

    @Inject
    KeyRingManager manager;

    /** The first wait before the library is loaded afresh again, doubled after each attempt up to the last. */
    private static final long FIRST_RELOAD_WAIT = TimeUnit.SECONDS.toNanos(10);
    private static final long LONGEST_RELOAD_WAIT = TimeUnit.MINUTES.toNanos(10);

    private volatile String problem;
    private long reloadWait = FIRST_RELOAD_WAIT;
    private long nextReload = System.nanoTime();

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
            reloadWait = FIRST_RELOAD_WAIT;
            return;
        } catch (RuntimeException e) {
            if (problem == null) {
                LOG.warnf("The %s cannot be used (%s): token endpoints answer 503 and verification goes on with the "
                        + "public keys held in memory; reconnecting", custody.get().describe(), reason(e));
            }
            problem = reason(e);
        }
        reconnect(custody.get());
    }

    /**
     * Reconnects through the library as loaded; if that does not help, loads the library afresh, at most once per wait,
     * the wait doubling from 10 seconds to 10 minutes, so that a long outage does not pile up library instances.
     */
    private void reconnect(KeyCustody custody) {
        if (custody.unrecoverable().isPresent()) {
            problem = custody.unrecoverable().get();
            return;
        }
        boolean reloadLibrary = System.nanoTime() - nextReload >= 0;
        for (boolean fresh : reloadLibrary ? new boolean[] { false, true } : new boolean[] { false }) {
            try {
                custody.reconnect(fresh);
                probe(custody, manager.current());
                problem = null;
                reloadWait = FIRST_RELOAD_WAIT;
                LOG.infof("Reconnected to the %s: keys sign there again", custody.describe());
                return;
            } catch (RuntimeException e) {
                problem = custody.unrecoverable().orElse(reason(e));
                LOG.debugf("Reconnecting to the %s failed: %s", custody.describe(), reason(e));
            }
        }
        if (reloadLibrary) {
            nextReload = System.nanoTime() + reloadWait;
            reloadWait = Math.min(reloadWait * 2, LONGEST_RELOAD_WAIT);
        }
    }

    private static String reason(RuntimeException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
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

    /** Whether reconnecting cannot help any more (the PIN was refused, the library reloaded too often). */
    public boolean unrecoverable() {
        return source.opened().flatMap(KeyCustody::unrecoverable).isPresent();
    }
}
