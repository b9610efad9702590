package io.github.jwtkeyring.rotation;

import java.time.Duration;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.keys.KeyCustody;
import io.github.jwtkeyring.keys.KeyMaterial;
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
    private final KeyCustody custody;
    private final RingListener listener;
    private final AtomicReference<KeyRing> ring = new AtomicReference<>();
    private final ReentrantLock changes = new ReentrantLock();

    public StoredKeyRingManager(KeyRingStore store, Rotation rotation, InstantSource clock) {
        this(store, rotation, clock, null, RingListener.NONE);
    }

    /** A manager whose ring changes nobody listens to. */
    public StoredKeyRingManager(KeyRingStore store, Rotation rotation, InstantSource clock, KeyCustody custody) {
        this(store, rotation, clock, custody, RingListener.NONE);
    }

    /**
     * @param custody the device that generates and holds new keys (the rotation's generator then uses it), or
     *        {@code null}; keys it holds are destroyed on it once the ring that no longer holds them is stored
     * @param listener told of every ring swapped in, and why
     */
    public StoredKeyRingManager(KeyRingStore store, Rotation rotation, InstantSource clock, KeyCustody custody,
            RingListener listener) {
        this.store = Objects.requireNonNull(store, "store");
        this.rotation = Objects.requireNonNull(rotation, "rotation");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.custody = custody;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Loads the ring from the store and applies what is due; creates the first key only when the store is empty. With
     * a custody, first removes from it every key of this module that the stored ring does not hold (left by a process
     * that stopped between generating a key and storing it, or between storing a destruction and carrying it out); this
     * runs under the store's lock, so no other node is generating a key meanwhile.
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
                checkCustody(found.orElse(null));
                KeyRing loaded = found.orElseGet(() -> rotation.bootstrap(clock.instant()));
                return rotation.advance(loaded, clock.instant());
            });
            destroyReleased(stored.get(), next);
            logChanges(stored.get(), next);
            ring.set(next);
            tell(stored.get(), next, RingListener.Cause.STARTUP);
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
        return update(r -> rotation.recordIssue(r, r.active().kid(), lifetime), RingListener.Cause.COMMAND).active();
    }

    /** Applies the scheduled transitions due now; asks the store only when something is due. */
    @Override
    public KeyRing tick() {
        KeyRing current = current();
        if (!rotation.due(current, clock.instant())) {
            return current;
        }
        return update(r -> rotation.advance(r, clock.instant()), RingListener.Cause.SCHEDULE);
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
        return update(r -> r.active().kid().equals(kid) ? rotation.rotateNow(r, clock.instant(), force) : r,
                RingListener.Cause.COMMAND);
    }

    /** Revokes the key {@code kid} at once. */
    @Override
    public KeyRing revoke(String kid) {
        return update(r -> rotation.revoke(r, kid, clock.instant()), RingListener.Cause.COMMAND);
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
                tell(before, stored.get(), RingListener.Cause.CLUSTER);
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

    private KeyRing update(UnaryOperator<KeyRing> change, RingListener.Cause cause) {
        changes.lock();
        try {
            KeyRing before = current();
            AtomicReference<KeyRing> base = new AtomicReference<>(before);
            KeyRing after = store.update(before, found -> {
                base.set(found.orElse(before));
                return change.apply(base.get());
            });
            if (after != before) {
                ring.set(after);
                destroyReleased(base.get(), after);
                logChanges(before, after);
                if (base.get() != before) {
                    tell(before, base.get(), RingListener.Cause.CLUSTER); // another node's change, found in the store
                }
                tell(base.get(), after, cause);
            }
            return after;
        } finally {
            changes.unlock();
        }
    }

    /**
     * With a custody: checks that it holds every key of {@code stored} that the ring keeps there, then removes the
     * module's keys on it that {@code stored} does not hold, with a warning each. Without a stored ring (a new store,
     * or one that was lost) nothing is removed, only reported: those keys may belong to a ring this process cannot see.
     */
    private void checkCustody(KeyRing stored) {
        if (custody == null) {
            return;
        }
        if (stored == null) {
            Set<String> present = custody.kids();
            if (!present.isEmpty()) {
                LOG.warnf("The %s holds %d keys of this module (label prefix) but the store holds no ring: they are "
                        + "left on the token. If no ring holds them, remove them by hand (%s)", custody.describe(),
                        present.size(), String.join(", ", present));
            }
            return;
        }
        Set<String> held = new HashSet<>();
        for (ManagedKey key : stored.keys()) {
            Optional<KeyMaterial> material = key.material();
            if (material.flatMap(KeyMaterial::custody).isPresent()) {
                material.get().signingKey(); // the ring must not start without a key it keeps on the token
            }
            if (key.state().holdsMaterial()) {
                held.add(key.kid());
            }
        }
        for (String kid : custody.kids()) {
            if (!held.contains(kid)) {
                try {
                    custody.destroy(kid);
                    LOG.warnf("Removed key '%s' from the %s: the key ring does not hold it (a process stopped between "
                            + "generating it and storing it, or between destroying it in the ring and on the token)",
                            kid, custody.describe());
                } catch (RuntimeException e) {
                    LOG.warnf("Key '%s' on the %s is held by no ring but could not be removed (%s)", kid,
                            custody.describe(), e.getMessage());
                }
            }
        }
    }

    /**
     * Destroys on the custody each key it holds that {@code before} held and {@code after} no longer holds (DESTROYED
     * or REVOKED); called once {@code after} is stored, so a crash in between leaves a key that the next start removes.
     */
    private void destroyReleased(KeyRing before, KeyRing after) {
        if (custody == null || before == null) {
            return;
        }
        for (ManagedKey key : before.keys()) {
            boolean inCustody = key.material().flatMap(m -> m.custody()).isPresent();
            boolean released = after.find(key.kid()).map(k -> !k.state().holdsMaterial()).orElse(true);
            if (inCustody && released) {
                try {
                    custody.destroy(key.kid());
                    LOG.infof("Key '%s' destroyed on the %s", key.kid(), custody.describe());
                } catch (RuntimeException e) {
                    LOG.warnf("Key '%s' is %s in the ring but could not be destroyed on the %s (%s); the next start "
                            + "removes it", key.kid(), after.find(key.kid()).map(ManagedKey::state).orElse(null),
                            custody.describe(), e.getMessage());
                }
            }
        }
    }

    /** Tells the listener; its failure is logged and never undoes a change that is stored. */
    private void tell(KeyRing before, KeyRing after, RingListener.Cause cause) {
        if (before == after) {
            return;
        }
        try {
            listener.changed(before, after, cause);
        } catch (RuntimeException e) {
            LOG.warnf("A key ring listener failed (%s); the ring change stands", e.toString());
        }
    }

    private static void logChanges(KeyRing before, KeyRing after) {
        for (ManagedKey key : after.movedSince(before)) {
            LOG.infof("Key '%s' (%s) is now %s", key.kid(), key.algorithm(), key.state());
        }
    }
}
