package io.github.jwtkeyring.rotation;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import io.github.jwtkeyring.keys.KeyGenerator;
import io.github.jwtkeyring.keys.KeyMaterial;
import io.github.jwtkeyring.keys.KeyMetadata;
import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.PublicJwk;

/**
 * The transition function of a key ring: given a ring and an instant, the ring as the policy wants it. It holds no
 * state and does no I/O; the only side effect is the generation of new keys.
 * <p>
 * The schedule: the ACTIVE key signs for one period. {@code publishAhead} before it retires a PENDING key is created
 * (and published); when its time comes it becomes ACTIVE and the old key RETIRED. A RETIRED key verifies for its
 * retire window, then is DESTROYED. After downtime the ACTIVE key keeps signing until a new key has been published for
 * the full publish-ahead time, so that no verifier ever meets an unknown kid.
 */
public final class Rotation {

    /** Created with each instance, at run time: a static one would be seeded while a native image is built. */
    private final SecureRandom random = new SecureRandom();

    private final RotationPolicy policy;
    private final KeyGenerator generator;

    public Rotation(RotationPolicy policy, KeyGenerator generator) {
        this.policy = policy;
        this.generator = generator;
    }

    /** The policy this function follows. */
    public RotationPolicy policy() {
        return policy;
    }

    /** A first ring: one key, ACTIVE from {@code now}. */
    public KeyRing bootstrap(Instant now) {
        ManagedKey first = newKey(now, now, KeyState.ACTIVE);
        return new KeyRing(1, List.of(first));
    }

    /**
     * Applies every scheduled transition that is due at {@code now}: promotes a PENDING key whose time has come,
     * destroys RETIRED keys whose window is over, and publishes the next key as soon as there is none: the ring always
     * holds a PENDING key (in the JWKS), to activate when the ACTIVE key's period ends, and never before it has been
     * published for the publish-ahead time.
     *
     * @return {@code ring} itself if nothing is due
     */
    public KeyRing advance(KeyRing ring, Instant now) {
        KeyRing next = ring;
        Optional<ManagedKey> pending = next.pending();
        if (pending.isPresent() && !pending.get().metadata().activates().isAfter(now)) {
            next = promote(next, pending.get(), now);
        }
        next = destroyExpired(next, now);
        if (next.pending().isEmpty()) {
            Instant activates = latest(next.active().metadata().retires(), now.plus(policy.publishAhead()));
            next = next.with(newKey(now, activates, KeyState.PENDING));
        }
        return next;
    }

    /**
     * Whether {@link #advance} would change {@code ring} at {@code now}; generates nothing, so a custody that makes
     * keys on a device is asked for one only when it is stored.
     */
    public boolean due(KeyRing ring, Instant now) {
        Optional<ManagedKey> pending = ring.pending();
        if (pending.isEmpty() || !pending.get().metadata().activates().isAfter(now)) {
            return true;
        }
        return ring.keys().stream().anyMatch(
                k -> k.state() == KeyState.RETIRED && !k.metadata().destroyAfter().isAfter(now));
    }

    /** Rotation on demand, never signing with a key published too briefly: {@code rotateNow(ring, now, false)}. */
    public KeyRing rotateNow(KeyRing ring, Instant now) {
        return rotateNow(ring, now, false);
    }

    /**
     * Rotation on demand: the PENDING key becomes ACTIVE now, the ACTIVE key RETIRED, and a new PENDING key is
     * published at once.
     * <p>
     * A key signs only once it has been published for {@link RotationPolicy#minimumPublication()}: a verifier that
     * fetched the JWKS before the key appeared and obeyed its {@code max-age} has fetched it again by then, and every
     * node sharing the ring has loaded it. A PENDING key published more briefly (or a new one, if the ring has none) is
     * scheduled to activate at that moment instead, and {@link #advance} promotes it then; the ring's ACTIVE key is
     * unchanged until then. {@code force} activates it at once all the same: verifiers that cached the JWKS without it
     * reject the new key's tokens until they fetch it again.
     */
    public KeyRing rotateNow(KeyRing ring, Instant now, boolean force) {
        Duration minimum = policy.minimumPublication();
        Optional<ManagedKey> pending = ring.pending();
        boolean published = pending.isPresent() && !pending.get().metadata().created().plus(minimum).isAfter(now);
        if (!force && !published) {
            return scheduleSoon(ring, pending.orElseGet(() -> newKey(now, now.plus(minimum), KeyState.PENDING)));
        }
        ManagedKey successor = pending.orElseGet(() -> newKey(now, now, KeyState.PENDING));
        KeyRing next = promote(ring.with(successor), successor, now);
        next = next.with(newKey(now, next.active().metadata().retires(), KeyState.PENDING));
        return destroyExpired(next, now);
    }

    private KeyRing scheduleSoon(KeyRing ring, ManagedKey next) {
        Instant at = next.metadata().created().plus(policy.minimumPublication());
        if (ring.pending().isPresent() && !next.metadata().activates().isAfter(at)) {
            return ring;
        }
        return ring.with(next.with(next.metadata().withSchedule(at, at.plus(policy.period()))));
    }

    /**
     * Emergency revocation: the key is REVOKED and its material dropped. If it was ACTIVE, the PENDING key (or a new
     * key) signs from now on. Revoking a REVOKED key changes nothing.
     *
     * @throws io.github.jwtkeyring.keys.UnknownKeyException if there is no such key
     * @throws io.github.jwtkeyring.keys.IllegalKeyTransitionException if the key is DESTROYED
     */
    public KeyRing revoke(KeyRing ring, String kid, Instant now) {
        ManagedKey key = ring.require(kid);
        if (key.state() == KeyState.REVOKED) {
            return ring;
        }
        ManagedKey revoked = key.with(key.metadata().moveTo(KeyState.REVOKED).withRevoked(now));
        if (key.state() != KeyState.ACTIVE) {
            return advance(ring.with(revoked), now);
        }
        ManagedKey successor = ring.pending().orElseGet(() -> newKey(now, now, KeyState.PENDING));
        ManagedKey promoted = successor.with(successor.metadata().moveTo(KeyState.ACTIVE)
                .withSchedule(now, now.plus(policy.period())));
        return advance(ring.with(revoked, promoted), now);
    }

    /**
     * Records that {@code kid} signed a token of {@code lifetime}, so that its retire window covers it.
     *
     * @return {@code ring} itself if an equal or longer lifetime is already recorded
     */
    public KeyRing recordIssue(KeyRing ring, String kid, Duration lifetime) {
        ManagedKey key = ring.require(kid);
        if (lifetime.compareTo(key.metadata().maxIssuedLifetime()) <= 0) {
            return ring;
        }
        return ring.with(key.with(key.metadata().withIssuedLifetime(lifetime)));
    }

    private KeyRing promote(KeyRing ring, ManagedKey successor, Instant now) {
        ManagedKey old = ring.active();
        Instant destroyAfter = now.plus(policy.retireWindow(old.metadata().maxIssuedLifetime()));
        ManagedKey retired = old.with(old.metadata().moveTo(KeyState.RETIRED)
                .withSchedule(old.metadata().activates(), now).withDestroyAfter(destroyAfter));
        ManagedKey active = successor.with(successor.metadata().moveTo(KeyState.ACTIVE)
                .withSchedule(now, now.plus(policy.period())));
        return ring.with(retired, active);
    }

    private static KeyRing destroyExpired(KeyRing ring, Instant now) {
        List<ManagedKey> destroyed = new ArrayList<>();
        for (ManagedKey key : ring.keys()) {
            if (key.state() == KeyState.RETIRED && !key.metadata().destroyAfter().isAfter(now)) {
                destroyed.add(key.with(key.metadata().moveTo(KeyState.DESTROYED)));
            }
        }
        return destroyed.isEmpty() ? ring : ring.with(destroyed.toArray(ManagedKey[]::new));
    }

    private ManagedKey newKey(Instant now, Instant activates, KeyState state) {
        KeyMaterial material = generator.generate(policy.algorithm());
        KeyMetadata metadata = new KeyMetadata(kidFor(material), material.algorithm(), state, now, activates,
                activates.plus(policy.period()), null, null, policy.tokenLifetime());
        return new ManagedKey(metadata, material);
    }

    private String kidFor(KeyMaterial material) {
        if (material.custodyLabel().isPresent()) {
            return material.custodyLabel().get();
        }
        if (!material.algorithm().symmetric()) {
            return PublicJwk.thumbprint(material.publicKey());
        }
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return "hs-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
