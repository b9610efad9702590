package io.github.jwtkeyring.rotation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import javax.crypto.spec.SecretKeySpec;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.keys.Hkdf;
import io.github.jwtkeyring.keys.KeyMaterial;
import io.github.jwtkeyring.keys.KeyMetadata;
import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.UnsupportedKeyOperationException;

/**
 * HMAC keys derived per rotation period from one master secret with HKDF (RFC 5869), so that every node holding the
 * master signs and verifies with the same keys and nothing but the master is stored.
 * <p>
 * Period {@code n} covers {@code [n × period, (n + 1) × period)} seconds since the epoch. Its key is
 * {@code HKDF-Expand(HKDF-Extract(salt, master), info(alg, period, n), hash length)} and its kid names the algorithm,
 * the period length and {@code n}, e.g. {@code HS256-PT24H-20412}. The ring is computed from the clock: the current
 * period's key is ACTIVE, the {@code acceptPrevious} periods before it are RETIRED (they verify), and the next period's
 * key is PENDING (it verifies) only once the clock is within the clock skew of that period. Older and later periods
 * are not in the ring, so their tokens are rejected.
 */
public final class DerivedHmacKeyRingManager implements KeyRingManager {

    /** The shortest master secret accepted, in bytes. */
    public static final int MIN_MASTER_BYTES = 32;

    private static final Logger LOG = Logger.getLogger(DerivedHmacKeyRingManager.class);
    private static final byte[] SALT = "jwt-keyring derived HMAC keys v1".getBytes(StandardCharsets.US_ASCII);

    private record Snapshot(long index, boolean withNext, KeyRing ring) {
    }

    private final RotationPolicy policy;
    private final int acceptPrevious;
    private final long periodSeconds;
    private final Duration longestLifetime;
    private final Hkdf hkdf;
    private final InstantSource clock;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();

    /**
     * @param policy the algorithm (HS256, HS384 or HS512), the period and the clock skew
     * @param acceptPrevious how many periods before the current one still verify; at least 1
     * @param master the master secret, at least {@value #MIN_MASTER_BYTES} bytes; not kept (only its HKDF
     *        pseudorandom key is)
     * @param clock the clock that decides the period
     * @throws KeyringException if the settings cannot keep every token verifiable for its whole lifetime
     */
    public DerivedHmacKeyRingManager(RotationPolicy policy, int acceptPrevious, byte[] master, InstantSource clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (!policy.algorithm().symmetric()) {
            throw new KeyringException("Derived keys need an HMAC algorithm (HS256, HS384 or HS512); the policy's "
                    + "algorithm is " + policy.algorithm() + ".");
        }
        if (master == null || master.length < MIN_MASTER_BYTES) {
            throw new KeyringException("The derived-HMAC master secret must be at least "
                    + MIN_MASTER_BYTES + " random bytes; it has " + (master == null ? 0 : master.length) + ".");
        }
        if (acceptPrevious < 1) {
            throw new KeyringException("At least 1 previous period must be accepted, or tokens issued just before a "
                    + "period ends would be rejected the moment it ends; it is " + acceptPrevious + ".");
        }
        if (policy.period().getNano() != 0) {
            throw new KeyringException("The period of derived HMAC keys must be a whole number of seconds; it is "
                    + policy.period() + ".");
        }
        this.acceptPrevious = acceptPrevious;
        this.periodSeconds = policy.period().getSeconds();
        this.longestLifetime = policy.period().multipliedBy(acceptPrevious).minus(policy.clockSkew());
        if (policy.tokenLifetime().compareTo(longestLifetime) > 0) {
            throw new KeyringException("The token lifetime (" + policy.tokenLifetime() + ") plus the clock skew ("
                    + policy.clockSkew() + ") must fit into the accepted previous periods (" + acceptPrevious
                    + ") periods of " + policy.period() + ", or tokens would be rejected before they expire.");
        }
        this.hkdf = Hkdf.extract(policy.algorithm().jcaMacName(), SALT, master);
    }

    @Override
    public KeyRing start() {
        KeyRing ring = current();
        LOG.infof("Derived HMAC keys: %s, one key per %s, %d previous period(s) accepted; ACTIVE key '%s'",
                policy.algorithm(), policy.period(), acceptPrevious, ring.active().kid());
        return ring;
    }

    @Override
    public KeyRing current() {
        Instant now = clock.instant();
        long index = Math.floorDiv(now.getEpochSecond(), periodSeconds);
        boolean withNext = !now.plus(policy.clockSkew()).isBefore(periodStart(index + 1));
        Snapshot current = snapshot.get();
        if (current == null || current.index() != index || current.withNext() != withNext) {
            current = new Snapshot(index, withNext, ring(index, withNext));
            snapshot.set(current);
        }
        return current.ring();
    }

    private KeyRing ring(long index, boolean withNext) {
        List<ManagedKey> keys = new ArrayList<>();
        for (long n = index - acceptPrevious; n < index; n++) {
            keys.add(key(n, KeyState.RETIRED));
        }
        keys.add(key(index, KeyState.ACTIVE));
        if (withNext) {
            keys.add(key(index + 1, KeyState.PENDING));
        }
        return new KeyRing(index * 2 + (withNext ? 1 : 0), keys);
    }

    private ManagedKey key(long n, KeyState state) {
        Instant start = periodStart(n);
        Instant destroyAfter = state == KeyState.RETIRED ? periodStart(n + acceptPrevious + 1) : null;
        KeyMetadata metadata = new KeyMetadata(kid(n), policy.algorithm(), state, start, start, periodStart(n + 1),
                destroyAfter, null, longestLifetime);
        byte[] secret = hkdf.expand(info(n), policy.algorithm().minKeyBits() / 8);
        return new ManagedKey(metadata,
                KeyMaterial.symmetric(policy.algorithm(), new SecretKeySpec(secret, policy.algorithm().jcaMacName())));
    }

    /** The kid of period {@code n}. */
    String kid(long n) {
        return policy.algorithm().joseName() + "-" + policy.period() + "-" + n;
    }

    private byte[] info(long n) {
        return ("jwt-keyring period key " + policy.algorithm().joseName() + " " + periodSeconds + " " + n)
                .getBytes(StandardCharsets.US_ASCII);
    }

    private Instant periodStart(long n) {
        return Instant.ofEpochSecond(Math.multiplyExact(n, periodSeconds));
    }

    @Override
    public ManagedKey signingKey(Duration lifetime) {
        if (lifetime.compareTo(longestLifetime) > 0) {
            throw new KeyringException("An access token of " + lifetime + " would outlive the keys that verify it: "
                    + "with derived HMAC keys, lifetimes up to " + longestLifetime + " (keyring.hmac.accept-previous "
                    + "periods minus the clock skew) are possible.");
        }
        return current().active();
    }

    @Override
    public KeyRing tick() {
        return current();
    }

    @Override
    public KeyRing rotateNow() {
        throw new UnsupportedKeyOperationException("Derived HMAC keys change with the period and cannot be rotated "
                + "by hand; to replace every key, change the master secret (keyring.hmac.master-secret).");
    }

    @Override
    public KeyRing revoke(String kid) {
        throw new UnsupportedKeyOperationException("Derived HMAC keys cannot be revoked one by one; to invalidate "
                + "every key, change the master secret (keyring.hmac.master-secret).");
    }

    @Override
    public RotationPolicy policy() {
        return policy;
    }

    @Override
    public String toString() {
        return "DerivedHmacKeyRingManager[" + policy.algorithm() + ", period " + policy.period() + "]";
    }
}
