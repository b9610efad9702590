package io.github.jwtkeyring.verify;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.github.jwtkeyring.keys.KeyRingAccess;
import io.github.jwtkeyring.keys.KeyringException;

/**
 * Remembers tokens that passed full verification, so that the same token is not verified again on each request.
 * <p>
 * The key is the SHA-256 of the whole compact token, so only the exact same bytes hit (never a token that merely shares
 * a {@code jti}). An entry lives at most until its token's {@code exp} plus the clock skew, by the injected clock, and
 * the cache is bounded (Caffeine, least-recently/frequently used out first). A hit counts only while the token's key
 * still verifies: a token of a REVOKED or DESTROYED key is never served from the cache. Revocation of tokens, sessions
 * and subjects is not cached: those checks run on every request after this one.
 *
 * @param <T> what is remembered of a verified token (the caller principal)
 */
public final class VerifiedTokenCache<T> {

    private record Verified<T>(T value, String kid, Instant expiresAt) {
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new KeyringException("SHA-256 is missing from this JDK.", e);
        }
    });

    private final KeyRingAccess ring;
    private final InstantSource clock;
    private final Duration clockSkew;
    private final Cache<ByteBuffer, Verified<T>> cache;

    /**
     * @param maxSize the most tokens remembered at once; 0 turns the cache off (nothing is remembered)
     */
    public VerifiedTokenCache(KeyRingAccess ring, InstantSource clock, Duration clockSkew, long maxSize) {
        this.ring = Objects.requireNonNull(ring, "ring");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
        if (maxSize < 0) {
            throw new KeyringException("The cache size must not be negative; it is " + maxSize + ".");
        }
        this.cache = maxSize == 0 ? null
                : Caffeine.newBuilder().maximumSize(maxSize).expireAfter(new UntilTokenExpiry<T>())
                        // eviction work runs on the calling thread, in small amortized steps: no pool to size or leak
                        .executor(Runnable::run).build();
    }

    /** What was remembered of {@code token}, if it was verified before, has not expired and its key still verifies. */
    public T get(String token) {
        if (cache == null) {
            return null;
        }
        ByteBuffer key = key(token);
        Verified<T> verified = cache.getIfPresent(key);
        if (verified == null) {
            return null;
        }
        if (clock.instant().isAfter(verified.expiresAt()) || ring.current().verifying(verified.kid()).isEmpty()) {
            cache.invalidate(key);
            return null;
        }
        return verified.value();
    }

    /**
     * Remembers that {@code token} passed full verification.
     *
     * @param kid the key that verified it
     * @param exp its {@code exp}
     */
    public void put(String token, T value, String kid, Instant exp) {
        if (cache == null) {
            return;
        }
        cache.put(key(token), new Verified<>(value, kid, exp.plus(clockSkew)));
    }

    /** How many tokens are remembered (approximately, as Caffeine counts). */
    public long size() {
        return cache == null ? 0 : cache.estimatedSize();
    }

    private static ByteBuffer key(String token) {
        MessageDigest digest = SHA256.get();
        return ByteBuffer.wrap(digest.digest(token.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Evicts an entry when its token expires; the clock of {@link #get} decides validity, this only frees memory. */
    private final class UntilTokenExpiry<V> implements Expiry<ByteBuffer, Verified<V>> {

        @Override
        public long expireAfterCreate(ByteBuffer key, Verified<V> value, long currentTime) {
            try {
                return Math.max(0, Duration.between(clock.instant(), value.expiresAt()).toNanos());
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }

        @Override
        public long expireAfterUpdate(ByteBuffer key, Verified<V> value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(ByteBuffer key, Verified<V> value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
