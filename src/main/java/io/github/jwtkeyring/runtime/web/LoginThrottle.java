package io.github.jwtkeyring.runtime.web;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;

/**
 * Backs off password guessing on {@code POST /auth/login}: each failed login takes one token from a bucket of its
 * account and one from a bucket of its client address (Bucket4j token buckets, refilled steadily over their period);
 * while either bucket is empty, logins for that account or from that address answer 429 with {@code Retry-After}
 * before any password is checked. A real user locked out by someone else's guessing waits at most one refill step
 * (period ÷ failures), since the bucket refills steadily rather than all at once.
 * <p>
 * Counted in memory, per node: each node of a cluster throttles on its own. The buckets live in bounded Caffeine caches
 * that forget idle keys, so a flood of invented user names cannot exhaust memory. Time comes from the injected clock.
 */
final class LoginThrottle {

    /** The limit of one kind of bucket: at most {@code failures} failed logins per {@code period}. */
    record Limit(int failures, Duration period) {
    }

    private static final long MAX_KEYS = 100_000;

    private final Limit account;
    private final Limit address;
    private final TimeMeter time;
    private final Cache<String, Bucket> accounts;
    private final Cache<String, Bucket> addresses;

    LoginThrottle(Limit account, Limit address, InstantSource clock) {
        this.account = account;
        this.address = address;
        this.time = new ClockTime(clock);
        this.accounts = cache(account);
        this.addresses = cache(address);
    }

    private static Cache<String, Bucket> cache(Limit limit) {
        return Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterAccess(limit.period().multipliedBy(2))
                .executor(Runnable::run).build();
    }

    /** How long a login for {@code user} from {@code client} must wait, or empty if it may try now. */
    Optional<Duration> wait(String user, String client) {
        long nanos = Math.max(waitNanos(accounts, user), waitNanos(addresses, client));
        return nanos == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
    }

    private static long waitNanos(Cache<String, Bucket> buckets, String key) {
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket == null) {
            return 0;
        }
        EstimationProbe probe = bucket.estimateAbilityToConsume(1);
        return probe.canBeConsumed() ? 0 : probe.getNanosToWaitForRefill();
    }

    /** Counts a failed login of {@code user} from {@code client}. */
    void failed(String user, String client) {
        accounts.get(user, ignored -> bucket(account)).tryConsume(1);
        addresses.get(client, ignored -> bucket(address)).tryConsume(1);
    }

    private Bucket bucket(Limit limit) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limit.failures())
                        .refillGreedy(limit.failures(), limit.period()).build())
                .withCustomTimePrecision(time).build();
    }

    /** The injected clock as Bucket4j's time source. */
    private record ClockTime(InstantSource clock) implements TimeMeter {

        @Override
        public long currentTimeNanos() {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
