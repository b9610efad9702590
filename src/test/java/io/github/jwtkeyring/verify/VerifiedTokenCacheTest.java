package io.github.jwtkeyring.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.testing.InMemoryRings;
import io.github.jwtkeyring.testing.MutableClock;

class VerifiedTokenCacheTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration SKEW = InMemoryRings.CLOCK_SKEW;
    private static final String TOKEN = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

    private final MutableClock clock = new MutableClock(T0);
    private final KeyRingManager manager = manager();

    private KeyRingManager manager() {
        return InMemoryRings.started(SigningAlgorithm.ES256, clock);
    }

    private VerifiedTokenCache<String> cache(long maxSize) {
        return new VerifiedTokenCache<>(manager, clock, SKEW, maxSize);
    }

    private String activeKid() {
        return manager.current().active().kid();
    }

    @Test
    void get_ofAVerifiedToken_returnsWhatWasRemembered() {
        VerifiedTokenCache<String> cache = cache(100);
        cache.put(TOKEN, "alice's principal", activeKid(), T0.plusSeconds(300));

        assertThat(cache.get(TOKEN)).isEqualTo("alice's principal");
    }

    @Test
    void get_ofATokenDifferingInOneCharacter_misses() {
        VerifiedTokenCache<String> cache = cache(100);
        cache.put(TOKEN, "alice's principal", activeKid(), T0.plusSeconds(300));

        assertThat(cache.get(TOKEN.substring(0, TOKEN.length() - 1) + "X")).isNull();
        assertThat(cache.get(TOKEN + " ")).isNull();
    }

    @Test
    void get_hitsUntilExpPlusSkew_thenMisses() {
        VerifiedTokenCache<String> cache = cache(100);
        Instant exp = T0.plusSeconds(300);
        cache.put(TOKEN, "p", activeKid(), exp);

        clock.set(exp.plus(SKEW));
        assertThat(cache.get(TOKEN)).isEqualTo("p");
        clock.set(exp.plus(SKEW).plusSeconds(1));
        assertThat(cache.get(TOKEN)).isNull();
    }

    @Test
    void get_whileTheKeyIsRetired_stillHits() {
        VerifiedTokenCache<String> cache = cache(100);
        String kid = activeKid();
        cache.put(TOKEN, "p", kid, T0.plusSeconds(300));

        manager.rotate(manager.current().active().kid(), true);

        assertThat(manager.current().require(kid).state().name()).isEqualTo("RETIRED");
        assertThat(cache.get(TOKEN)).isEqualTo("p");
    }

    @Test
    void get_afterTheKeyWasRevoked_missesAndForgetsTheToken() {
        VerifiedTokenCache<String> cache = cache(100);
        String kid = activeKid();
        cache.put(TOKEN, "p", kid, T0.plusSeconds(300));

        manager.revoke(kid);

        assertThat(cache.get(TOKEN)).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void get_afterTheKeyWasDestroyed_misses() {
        VerifiedTokenCache<String> cache = cache(100);
        String kid = activeKid();
        Instant exp = T0.plus(Duration.ofDays(30));
        cache.put(TOKEN, "p", kid, exp);
        manager.rotate(manager.current().active().kid(), true);

        clock.set(manager.current().require(kid).metadata().destroyAfter());
        manager.tick();

        assertThat(manager.current().require(kid).state().name()).isEqualTo("DESTROYED");
        assertThat(cache.get(TOKEN)).isNull();
    }

    @Test
    void get_ofAnUnknownKid_misses() {
        VerifiedTokenCache<String> cache = cache(100);
        cache.put(TOKEN, "p", "no-such-kid", T0.plusSeconds(300));

        assertThat(cache.get(TOKEN)).isNull();
    }

    @Test
    void maxSizeZero_remembersNothing() {
        VerifiedTokenCache<String> cache = cache(0);
        cache.put(TOKEN, "p", activeKid(), T0.plusSeconds(300));

        assertThat(cache.get(TOKEN)).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void cache_staysWithinItsMaximumSize() {
        VerifiedTokenCache<String> cache = cache(10);
        for (int i = 0; i < 1000; i++) {
            cache.put(TOKEN + i, "p" + i, activeKid(), T0.plusSeconds(300));
        }

        assertThat(cache.size()).isLessThanOrEqualTo(10);
        long remembered = java.util.stream.IntStream.range(0, 1000).filter(i -> cache.get(TOKEN + i) != null).count();
        assertThat(remembered).isLessThanOrEqualTo(10);
    }

    @Test
    void negativeMaxSize_isRefused() {
        assertThatThrownBy(() -> cache(-1)).isInstanceOf(KeyringException.class)
                .hasMessageContaining("cache size");
    }
}
