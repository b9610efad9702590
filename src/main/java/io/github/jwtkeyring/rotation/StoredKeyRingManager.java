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
 * The ring kept in a {@link KeyRingStore}: holds the current ring and applies every change to it: computes the next snapshot
 * with {@link Rotation}, stores it,
 * and only then swaps it in. Readers never wait; changes are serialized.
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
     * @throws io.github.jwtkeyring.store.StoreException if the store cannot be read; nothing is written then
     */
    @Override
    public KeyRing start() {
        changes.lock();
        try {
            Optional<KeyRing> stored = store.load();
            KeyRing loaded = stored.orElseGet(() -> rotation.bootstrap(clock.instant()));
            KeyRing next = rotation.advance(loaded, clock.instant());
            if (stored.isEmpty() || next != loaded) {
                store.save(next);
            }
            logChanges(stored.orElse(null), next);
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
    public ManagedKey signingKey(Duration lifetime) {
        KeyRing current = current();
        ManagedKey active = current.active();
        if (lifetime.compareTo(active.metadata().maxIssuedLifetime()) <= 0) {
            return active;
        }
        return update(r -> rotation.recordIssue(r, r.active().kid(), lifetime)).active();
    }

    /** Applies the scheduled transitions due now. */
    @Override
    public KeyRing tick() {
        return update(r -> rotation.advance(r, clock.instant()));
    }

    /** Rotates now: the PENDING key signs, the ACTIVE key retires. */
    @Override
    public KeyRing rotateNow() {
        return update(r -> rotation.rotateNow(r, clock.instant()));
    }

    /** Revokes the key {@code kid} at once. */
    @Override
    public KeyRing revoke(String kid) {
        return update(r -> rotation.revoke(r, kid, clock.instant()));
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
            KeyRing after = change.apply(before);
            if (after != before) {
                store.save(after);
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
