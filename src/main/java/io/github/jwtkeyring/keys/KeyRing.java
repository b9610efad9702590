package io.github.jwtkeyring.keys;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of all keys: exactly one ACTIVE key, at most one PENDING key, unique kids. A change makes a
 * new snapshot with the next version; holders swap snapshots atomically.
 * <p>
 * Lookups by kid are O(1) and touch no I/O, so verification can run on the event loop.
 */
public final class KeyRing {

    private final long version;
    private final List<ManagedKey> keys;
    private final Map<String, ManagedKey> byKid;
    private final ManagedKey active;
    private final ManagedKey pending;

    /**
     * @param version a number that grows with every change of the ring
     * @param keys the keys, oldest first
     * @throws KeyringException if the keys break an invariant
     */
    public KeyRing(long version, List<ManagedKey> keys) {
        this.version = version;
        this.keys = List.copyOf(keys);
        Map<String, ManagedKey> index = new HashMap<>();
        ManagedKey foundActive = null;
        ManagedKey foundPending = null;
        for (ManagedKey key : this.keys) {
            if (index.put(key.kid(), key) != null) {
                throw new KeyringException("The key ring holds kid '" + key.kid() + "' twice.");
            }
            if (key.state() == KeyState.ACTIVE) {
                foundActive = single(foundActive, key);
            } else if (key.state() == KeyState.PENDING) {
                foundPending = single(foundPending, key);
            }
        }
        if (foundActive == null) {
            throw new KeyringException("A key ring needs exactly one ACTIVE key; it has none.");
        }
        this.byKid = Collections.unmodifiableMap(index);
        this.active = foundActive;
        this.pending = foundPending;
    }

    private static ManagedKey single(ManagedKey found, ManagedKey another) {
        if (found != null) {
            throw new KeyringException("A key ring allows one " + another.state() + " key; both '" + found.kid()
                    + "' and '" + another.kid() + "' are " + another.state() + ".");
        }
        return another;
    }

    /** The version of this snapshot. */
    public long version() {
        return version;
    }

    /** All keys, oldest first. */
    public List<ManagedKey> keys() {
        return keys;
    }

    /**
     * The keys of this ring that {@code before} did not hold, or held in another state, oldest first: what a change from
     * {@code before} to this ring did. Every key when {@code before} is {@code null}.
     */
    public List<ManagedKey> movedSince(KeyRing before) {
        return keys.stream().filter(key -> before == null
                || before.find(key.kid()).map(old -> old.state() != key.state()).orElse(true)).toList();
    }

    /** The key that signs. */
    public ManagedKey active() {
        return active;
    }

    /** The key published to sign next, if any. */
    public Optional<ManagedKey> pending() {
        return Optional.ofNullable(pending);
    }

    /** The key with this kid, whatever its state. */
    public Optional<ManagedKey> find(String kid) {
        return Optional.ofNullable(kid == null ? null : byKid.get(kid));
    }

    /** The key with this kid, or an {@link UnknownKeyException}. */
    public ManagedKey require(String kid) {
        return find(kid).orElseThrow(() -> new UnknownKeyException(kid));
    }

    /** The key with this kid if tokens it signed are accepted (PENDING, ACTIVE or RETIRED). */
    public Optional<ManagedKey> verifying(String kid) {
        ManagedKey key = kid == null ? null : byKid.get(kid);
        return key != null && key.state().verifies() ? Optional.of(key) : Optional.empty();
    }

    /**
     * A new snapshot, one version up, in which each key of {@code changed} replaces the key with its kid and keys with
     * a new kid are appended.
     */
    public KeyRing with(ManagedKey... changed) {
        List<ManagedKey> next = new ArrayList<>(keys);
        for (ManagedKey key : changed) {
            int index = indexOf(next, key.kid());
            if (index < 0) {
                next.add(key);
            } else {
                next.set(index, key);
            }
        }
        return new KeyRing(version + 1, next);
    }

    private static int indexOf(List<ManagedKey> list, String kid) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).kid().equals(kid)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "KeyRing[version=" + version + ", keys=" + keys + "]";
    }
}
