package io.github.jwtkeyring.rotation;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.store.KeyRingStore;

/**
 * The ring kept in a {@link KeyRingStore}: holds the current ring and applies every change to it: computes the next
 * snapshot with {@link Rotation} on the newest stored ring, stores it, and only then swaps it in. Readers never wait;
 * changes are serialized in this process, and across processes by the store's lock.
 * <p>
 * If the store refuses a change, the in-memory ring stays as it was, so memory never runs ahead of the store.
 */
public final class StoredKeyRingManager implements KeyRingManager {

    private static final Logger LOG = Logger.getLogger(StoredKeyRingManager.class);

    private final KeyRingStore store;
    private final Rotation rotation;
    private final InstantSource clock;
    private final AtomicReference<KeyRing> ring = new AtomicReference<>();
    private final ReentrantLock changes = new ReentrantLock();

    public StoredKeyRingManager(KeyRingStore store, Rotation rotation, InstantSource clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.rotation = Objects.requireNonNull(rotation, "rotation");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Loads the ring from the store and applies what is due; creates the first key only when the store is empty.
     *
     * @throws io.github.jwtkeyring.keys.StoreException if the store cannot be read; nothing is written then
     */
    @Override
    public KeyRing start() {
        changes.lock();
        try {
            AtomicReference<KeyRing> stored = new AtomicReference<>();
            KeyRing next = store.update(null, found -> {
                stored.set(found.orElse(null));
                KeyRing loaded = found.orElseGet(() -> rotation.bootstrap(clock.instant()));
                return rotation.advance(loaded, clock.instant());
            });
            logChanges(stored.get(), next);
            ring.set(next);
            LOG.infof("Key ring loaded from %s: version %d, ACTIVE key '%s' (%s)", store.describe(), next.version(),
                    next.active().kid(), next.active().algorithm());
            return next;
        } finally {
            changes.unlock();
        }
    }

    @Override
    public KeyRing current() {
        KeyRing current = ring.get();
        if (current == null) {
            throw new KeyringException("The key ring has not been loaded yet.");
        }
        return current;
    }

    @Override
    public boolean loaded() {
        return ring.get() != null;
    }

    @Override
    public ManagedKey signingKey(Duration lifetime) {
        KeyRing current = current();
        ManagedKey active = current.active();
        if (lifetime.compareTo(active.metadata().maxIssuedLifetime()) <= 0) {
            return active;
        }
        return update(r -> rotation.recordIssue(r, r.active().kid(), lifetime)).active();
    }

    /** Applies the scheduled transitions due now; asks the store only when something is due. */
    @Override
    public KeyRing tick() {
        KeyRing current = current();
        if (rotation.advance(current, clock.instant()) == current) {
            return current;
        }
        return update(r -> rotation.advance(r, clock.instant()));
    }

    /**
     * Rotates the key that is ACTIVE now. If another node (or request) has rotated it meanwhile, that rotation stands
     * and this one does nothing, so simultaneous requests make one new key.
     */
    @Override
    public KeyRing rotateNow() {
        return rotate(current().active().kid());
    }

    @Override
    public KeyRing rotate(String kid, boolean force) {
        return update(r -> r.active().kid().equals(kid) ? rotation.rotateNow(r, clock.instant(), force) : r);
    }

    /** Revokes the key {@code kid} at once. */
    @Override
    public KeyRing revoke(String kid) {
        return update(r -> rotation.revoke(r, kid, clock.instant()));
    }

    /**
     * Takes in the stored ring if another node has stored a newer one, and returns the current ring.
     *
     * @throws io.github.jwtkeyring.keys.StoreException if the store cannot be read; the ring held stays in use
     */
    @Override
    public KeyRing reload() {
        Optional<KeyRing> stored = store.load();
        changes.lock();
        try {
            KeyRing before = current();
            if (stored.isPresent() && stored.get().version() > before.version()) {
                ring.set(stored.get());
                logChanges(before, stored.get());
                return stored.get();
            }
            return before;
        } finally {
            changes.unlock();
        }
    }

    /** The policy in force. */
    @Override
    public RotationPolicy policy() {
        return rotation.policy();
    }

    private KeyRing update(UnaryOperator<KeyRing> change) {
        changes.lock();
        try {
            KeyRing before = current();
            KeyRing after = store.update(before, found -> change.apply(found.orElse(before)));
            if (after != before) {
                ring.set(after);
                logChanges(before, after);
            }
            return after;
        } finally {
            changes.unlock();
        }
    }

    private static void logChanges(KeyRing before, KeyRing after) {
        for (ManagedKey key : after.keys()) {
            Optional<ManagedKey> old = before == null ? Optional.empty() : before.find(key.kid());
            if (old.isEmpty() || old.get().state() != key.state()) {
                LOG.infof("Key '%s' (%s) is now %s", key.kid(), key.algorithm(), key.state());
            }
        }
    }
}
