package io.github.jwtkeyring.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.store.memory.MemoryLedgerJournal;
import io.github.jwtkeyring.testing.MutableClock;

class TokenLedgerTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Duration SKEW = Duration.ofSeconds(60);
    private static final Duration REFRESH_LIFETIME = Duration.ofHours(8);
    private static final Duration ACCESS_LIFETIME = Duration.ofMinutes(15);
    private static final LedgerSettings SETTINGS = new LedgerSettings(SKEW, REFRESH_LIFETIME, () -> ACCESS_LIFETIME);

    private final MutableClock clock = new MutableClock(T0);
    private final MemoryLedgerJournal journal = new MemoryLedgerJournal();
    private final TokenLedger ledger = newLedger(journal);

    private TokenLedger newLedger(LedgerJournal on) {
        return new TokenLedger(on, clock, SETTINGS);
    }

    /** A new ledger on the same journal, as after a restart. */
    private TokenLedger restarted() {
        TokenLedger reloaded = newLedger(journal);
        reloaded.load();
        return reloaded;
    }

    private static Optional<String> rejectionOf(TokenLedger on, String jti, String subject, String sid) {
        return on.rejection(jti, subject, T0, sid);
    }

    // ---------------------------------------------------------------- revocation of access tokens

    @Test
    void revokeToken_rejectsThatJtiOnly() {
        ledger.revokeToken("jti-1", Optional.of(T0.plus(ACCESS_LIFETIME)));

        assertThat(rejectionOf(ledger, "jti-1", "alice", null)).hasValueSatisfying(r -> assertThat(r).contains("jti-1"));
        assertThat(rejectionOf(ledger, "jti-2", "alice", null)).isEmpty();
        assertThat(rejectionOf(ledger, "jti-1x", "alice", null)).isEmpty();
    }

    @Test
    void revokeSubject_rejectsTokensIssuedUntilTheCutoffSecond_notLaterOnesNorOtherSubjects() {
        clock.set(T0.plusMillis(400));

        ledger.revokeSubject("alice");

        assertThat(ledger.rejection("j1", "alice", T0.minus(ACCESS_LIFETIME), null)).isPresent();
        assertThat(ledger.rejection("j2", "alice", T0, null)).as("iat in the cutoff second").isPresent();
        assertThat(ledger.rejection("j3", "alice", T0.plusSeconds(1), null)).as("issued after the cutoff").isEmpty();
        assertThat(ledger.rejection("j4", "bob", T0.minus(ACCESS_LIFETIME), null)).as("another subject").isEmpty();
    }

    @Test
    void revokeSubject_again_movesTheCutoffForward() {
        ledger.revokeSubject("alice");
        clock.advance(Duration.ofMinutes(5));

        ledger.revokeSubject("alice");

        assertThat(ledger.rejection("j1", "alice", T0.plus(Duration.ofMinutes(4)), null)).isPresent();
        assertThat(ledger.rejection("j2", "alice", T0.plus(Duration.ofMinutes(6)), null)).isEmpty();
    }

    // ---------------------------------------------------------------- refresh families

    @Test
    void startFamily_recordsGenerationZeroExpiringAfterTheRefreshLifetime() {
        RefreshFamily family = ledger.startFamily("fam-1", "alice", Set.of("user", "admin"), "hash-0");

        assertThat(family.id()).isEqualTo("fam-1");
        assertThat(family.subject()).isEqualTo("alice");
        assertThat(family.groups()).containsExactlyInAnyOrder("user", "admin");
        assertThat(family.created()).isEqualTo(T0);
        assertThat(family.generation()).isZero();
        assertThat(family.expiresAt()).isEqualTo(T0.plus(REFRESH_LIFETIME));
        assertThat(family.revoked()).isFalse();
        assertThat(ledger.family("fam-1")).contains(family);
        assertThat(rejectionOf(ledger, "jti-1", "alice", "fam-1")).isEmpty();
    }

    @Test
    void refresh_withCurrentToken_rotatesToTheNextGenerationAndExtendsTheExpiry() {
        ledger.startFamily("fam-1", "alice", Set.of("user"), "hash-0");
        clock.advance(Duration.ofHours(1));

        RefreshFamily first = ledger.refresh("hash-0", "hash-1");
        clock.advance(Duration.ofHours(1));
        RefreshFamily second = ledger.refresh("hash-1", "hash-2");

        assertThat(first.generation()).isEqualTo(1);
        assertThat(first.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(1)).plus(REFRESH_LIFETIME));
        assertThat(second.id()).isEqualTo("fam-1");
        assertThat(second.subject()).isEqualTo("alice");
        assertThat(second.groups()).containsExactly("user");
        assertThat(second.created()).as("the login time stays").isEqualTo(T0);
        assertThat(second.generation()).isEqualTo(2);
        assertThat(second.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(2)).plus(REFRESH_LIFETIME));
        assertThat(second.revoked()).isFalse();
        assertThat(ledger.family("fam-1")).contains(second);
    }

    @Test
    void refresh_withSupersededToken_throwsAndRevokesTheWholeFamily() {
        ledger.startFamily("fam-1", "alice", Set.of("user"), "hash-0");
        ledger.refresh("hash-0", "hash-1");

        assertThatThrownBy(() -> ledger.refresh("hash-0", "hash-stolen")).isInstanceOf(InvalidGrantException.class)
                .hasMessageContaining("fam-1").hasMessageContaining("reused").hasMessageNotContaining("hash-0");

        assertThat(ledger.family("fam-1")).hasValueSatisfying(f -> assertThat(f.revoked()).isTrue());
        assertThat(rejectionOf(ledger, "jti-from-family", "alice", "fam-1"))
                .hasValueSatisfying(r -> assertThat(r).contains("fam-1"));
        assertThatThrownBy(() -> ledger.refresh("hash-1", "hash-2")).as("the current token dies with its family")
                .isInstanceOf(InvalidGrantException.class);
        assertThatThrownBy(() -> ledger.refresh("hash-stolen", "hash-3")).as("the replacement was never issued")
                .isInstanceOf(InvalidGrantException.class);
    }

    @Test
    void refresh_withUnknownHash_throwsInvalidGrant() {
        ledger.startFamily("fam-1", "alice", Set.of(), "hash-0");

        assertThatThrownBy(() -> ledger.refresh("hash-never-issued", "hash-1")).isInstanceOf(InvalidGrantException.class)
                .hasMessageContaining("unknown");
        assertThat(ledger.family("fam-1").orElseThrow().revoked()).as("a guess does not hurt the family").isFalse();
    }

    @Test
    void refresh_onceTheRefreshLifetimeHasPassed_throwsInvalidGrant() {
        ledger.startFamily("fam-1", "alice", Set.of(), "hash-0");
        clock.advance(REFRESH_LIFETIME.minusSeconds(1));
        ledger.refresh("hash-0", "hash-1");

        clock.advance(REFRESH_LIFETIME);

        assertThatThrownBy(() -> ledger.refresh("hash-1", "hash-2")).isInstanceOf(InvalidGrantException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void refresh_ofRevokedFamily_throwsInvalidGrant() {
        ledger.startFamily("fam-1", "alice", Set.of(), "hash-0");
        ledger.startFamily("fam-2", "alice", Set.of(), "other-0");

        ledger.revokeFamily("fam-1");

        assertThatThrownBy(() -> ledger.refresh("hash-0", "hash-1")).isInstanceOf(InvalidGrantException.class)
                .hasMessageContaining("revoked");
        assertThat(rejectionOf(ledger, "jti-1", "alice", "fam-1")).isPresent();
        assertThat(rejectionOf(ledger, "jti-2", "alice", "fam-2")).isEmpty();
        assertThat(ledger.refresh("other-0", "other-1").generation()).isEqualTo(1);
    }

    @Test
    void refresh_ofFamilyBegunBeforeASubjectRevocation_throwsInvalidGrant_whileALaterLoginStillRefreshes() {
        ledger.startFamily("before", "alice", Set.of(), "before-0");
        ledger.startFamily("bob", "bob", Set.of(), "bob-0");
        clock.advance(Duration.ofMinutes(1));
        ledger.revokeSubject("alice");
        clock.advance(Duration.ofSeconds(1));
        ledger.startFamily("after", "alice", Set.of(), "after-0");

        assertThatThrownBy(() -> ledger.refresh("before-0", "before-1")).isInstanceOf(InvalidGrantException.class)
                .hasMessageContaining("before");
        assertThat(ledger.refresh("after-0", "after-1").generation()).isEqualTo(1);
        assertThat(ledger.refresh("bob-0", "bob-1").generation()).isEqualTo(1);
    }

    @Test
    void logout_revokesTheAccessTokenAndItsFamily() {
        ledger.startFamily("fam-1", "alice", Set.of(), "hash-0");
        ledger.startFamily("fam-2", "alice", Set.of(), "other-0");

        ledger.logout("jti-1", T0.plus(ACCESS_LIFETIME), "fam-1");

        assertThat(rejectionOf(ledger, "jti-1", "alice", null)).isPresent();
        assertThat(rejectionOf(ledger, "jti-sibling", "alice", "fam-1")).as("other tokens of the session").isPresent();
        assertThat(rejectionOf(ledger, "jti-2", "alice", "fam-2")).as("another session").isEmpty();
        assertThatThrownBy(() -> ledger.refresh("hash-0", "hash-1")).isInstanceOf(InvalidGrantException.class);
        assertThat(ledger.refresh("other-0", "other-1").generation()).isEqualTo(1);
    }

    @Test
    void logout_withoutSession_revokesTheAccessTokenOnly() {
        ledger.startFamily("fam-1", "alice", Set.of(), "hash-0");

        ledger.logout("jti-1", T0.plus(ACCESS_LIFETIME), null);

        assertThat(rejectionOf(ledger, "jti-1", "alice", null)).isPresent();
        assertThat(ledger.refresh("hash-0", "hash-1").generation()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- restart

    @Test
    void load_onTheSameJournal_restoresEveryRevocationAndFamily() {
        ledger.revokeToken("jti-revoked", Optional.of(T0.plus(ACCESS_LIFETIME)));
        ledger.revokeSubject("mallory");
        ledger.startFamily("fam-live", "alice", Set.of("user"), "live-0");
        ledger.refresh("live-0", "live-1");
        ledger.startFamily("fam-logout", "bob", Set.of(), "logout-0");
        ledger.logout("jti-logout", T0.plus(ACCESS_LIFETIME), "fam-logout");
        clock.advance(Duration.ofMinutes(1));

        TokenLedger reloaded = restarted();

        assertThat(rejectionOf(reloaded, "jti-revoked", "alice", null)).isPresent();
        assertThat(rejectionOf(reloaded, "jti-any", "mallory", null)).isPresent();
        assertThat(rejectionOf(reloaded, "jti-logout", "bob", null)).isPresent();
        assertThat(rejectionOf(reloaded, "jti-other", "bob", "fam-logout")).isPresent();
        assertThat(rejectionOf(reloaded, "jti-other", "alice", "fam-live")).isEmpty();
        assertThat(reloaded.family("fam-live")).isEqualTo(ledger.family("fam-live"));
        assertThat(reloaded.family("fam-logout").orElseThrow().revoked()).isTrue();
        assertThat(reloaded.size()).isEqualTo(ledger.size());
        assertThatThrownBy(() -> reloaded.refresh("logout-0", "logout-1")).isInstanceOf(InvalidGrantException.class);
        assertThat(reloaded.refresh("live-1", "live-2").generation()).isEqualTo(2);
    }

    @Test
    void load_onTheSameJournal_stillDetectsReuseOfATokenSupersededBeforeTheRestart() {
        ledger.startFamily("fam-1", "alice", Set.of(), "hash-0");
        ledger.refresh("hash-0", "hash-1");

        TokenLedger reloaded = restarted();

        assertThatThrownBy(() -> reloaded.refresh("hash-0", "hash-x")).isInstanceOf(InvalidGrantException.class)
                .hasMessageContaining("reused");
        assertThat(rejectionOf(reloaded, "jti-1", "alice", "fam-1")).isPresent();
        assertThat(rejectionOf(restarted(), "jti-1", "alice", "fam-1")).as("the reuse is journaled too").isPresent();
    }

    // ---------------------------------------------------------------- prune

    @Test
    void prune_keepsARevokedTokenUntilItsExpiryPlusSkew_thenForgetsIt() {
        Instant expiry = T0.plus(ACCESS_LIFETIME);
        ledger.revokeToken("jti-1", Optional.of(expiry));
        assertThat(ledger.size()).isEqualTo(1);

        clock.set(expiry.plus(SKEW));
        assertThat(ledger.prune()).isZero();
        assertThat(ledger.size()).isEqualTo(1);
        assertThat(rejectionOf(ledger, "jti-1", "alice", null)).as("still acceptable to a skewed verifier").isPresent();

        clock.advance(Duration.ofSeconds(1));
        assertThat(ledger.prune()).isEqualTo(1);
        assertThat(ledger.size()).isZero();
        assertThat(rejectionOf(ledger, "jti-1", "alice", null)).isEmpty();
        TokenLedger reloaded = restarted();
        assertThat(reloaded.size()).as("not resurrected by the journal").isZero();
        assertThat(rejectionOf(reloaded, "jti-1", "alice", null)).isEmpty();
    }

    @Test
    void prune_revokedTokenOfUnknownExpiry_isKeptAsLongAsAnyAccessTokenIssuedThenCouldLive() {
        ledger.revokeToken("jti-1", Optional.empty());

        clock.set(T0.plus(ACCESS_LIFETIME).plus(SKEW));
        assertThat(ledger.prune()).isZero();
        assertThat(rejectionOf(ledger, "jti-1", "alice", null)).isPresent();

        clock.advance(Duration.ofSeconds(1));
        assertThat(ledger.prune()).isEqualTo(1);
        assertThat(rejectionOf(ledger, "jti-1", "alice", null)).isEmpty();
    }

    @Test
    void prune_keepsASubjectRevocationUntilNoTokenOrFamilyFromBeforeItCanLive() {
        ledger.revokeSubject("alice");
        Instant keepUntil = T0.plus(REFRESH_LIFETIME).plus(SKEW);

        clock.set(keepUntil);
        assertThat(ledger.prune()).isZero();
        assertThat(rejectionOf(ledger, "jti-1", "alice", null)).isPresent();

        clock.advance(Duration.ofSeconds(1));
        assertThat(ledger.prune()).isEqualTo(1);
        assertThat(ledger.size()).isZero();
        assertThat(restarted().size()).isZero();
    }

    @Test
    void prune_forgetsAnExpiredFamilyWithItsTokens_andAReloadDoesNotResurrectThem() {
        ledger.startFamily("fam-old", "alice", Set.of(), "old-0");
        ledger.refresh("old-0", "old-1");
        clock.advance(Duration.ofHours(1));
        ledger.startFamily("fam-new", "alice", Set.of(), "new-0");
        int before = ledger.size();

        clock.set(T0.plus(REFRESH_LIFETIME).plusSeconds(1));
        int removed = ledger.prune();

        assertThat(removed).as("the family and its two token hashes").isEqualTo(3);
        assertThat(ledger.size()).isEqualTo(before - 3);
        assertThat(ledger.family("fam-old")).isEmpty();
        assertThat(ledger.family("fam-new")).isPresent();
        TokenLedger reloaded = restarted();
        assertThat(reloaded.family("fam-old")).isEmpty();
        assertThat(reloaded.size()).isEqualTo(ledger.size());
        assertThatThrownBy(() -> reloaded.refresh("old-1", "old-2")).isInstanceOf(InvalidGrantException.class);
        assertThat(reloaded.refresh("new-0", "new-1").generation()).isEqualTo(1);
    }

    @Test
    void prune_keepsARevokedFamilyAsLongAsItsAccessTokensCouldLive() {
        ledger.startFamily("fam-1", "alice", Set.of(), "hash-0");
        ledger.revokeFamily("fam-1");

        clock.set(T0.plus(ACCESS_LIFETIME).plus(SKEW));
        ledger.prune();
        assertThat(rejectionOf(ledger, "jti-1", "alice", "fam-1")).isPresent();

        clock.advance(Duration.ofSeconds(1));
        ledger.prune();
        assertThat(ledger.family("fam-1")).isEmpty();
        assertThatThrownBy(() -> ledger.refresh("hash-0", "hash-1")).as("its token is forgotten, not revived")
                .isInstanceOf(InvalidGrantException.class);
        assertThat(ledger.size()).isZero();
    }

    // ---------------------------------------------------------------- failed writes

    @Test
    void failedJournalWrite_propagatesAndChangesNothing() {
        FailingJournal failing = new FailingJournal();
        TokenLedger onFailing = newLedger(failing);
        onFailing.startFamily("fam-1", "alice", Set.of(), "hash-0");
        int size = onFailing.size();
        failing.fail = true;

        assertThatThrownBy(() -> onFailing.revokeToken("jti-1", Optional.of(T0.plus(ACCESS_LIFETIME))))
                .isSameAs(failing.failure);
        assertThatThrownBy(() -> onFailing.revokeSubject("alice")).isSameAs(failing.failure);
        assertThatThrownBy(() -> onFailing.logout("jti-2", T0.plus(ACCESS_LIFETIME), "fam-1"))
                .isSameAs(failing.failure);
        assertThatThrownBy(() -> onFailing.refresh("hash-0", "hash-1")).isSameAs(failing.failure);
        assertThatThrownBy(() -> onFailing.startFamily("fam-2", "bob", Set.of(), "bob-0")).isSameAs(failing.failure);

        assertThat(onFailing.size()).isEqualTo(size);
        assertThat(rejectionOf(onFailing, "jti-1", "alice", null)).isEmpty();
        assertThat(rejectionOf(onFailing, "jti-2", "alice", "fam-1")).isEmpty();
        assertThat(onFailing.family("fam-1").orElseThrow().generation()).isZero();
        assertThat(onFailing.family("fam-2")).isEmpty();

        failing.fail = false;
        assertThat(onFailing.refresh("hash-0", "hash-1").generation()).as("the token is still usable").isEqualTo(1);
        assertThatThrownBy(() -> onFailing.refresh("hash-0", "hash-2")).as("but only once")
                .isInstanceOf(InvalidGrantException.class);
    }

    /** A journal in memory whose appends fail while {@link #fail} is set. */
    private static final class FailingJournal implements LedgerJournal {

        final MemoryLedgerJournal delegate = new MemoryLedgerJournal();
        final StoreException failure = new StoreException("The disk is full.");
        volatile boolean fail;

        @Override
        public List<LedgerEvent> replay() {
            return delegate.replay();
        }

        @Override
        public void append(List<LedgerEvent> events) {
            if (fail) {
                throw failure;
            }
            delegate.append(events);
        }

        @Override
        public void rewrite(List<LedgerEvent> snapshot) {
            delegate.rewrite(snapshot);
        }

        @Override
        public String describe() {
            return "failing journal";
        }

        @Override
        public void close() {
        }
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    void refresh_concurrentlyWithTheSameToken_succeedsExactlyOnce() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 25; round++) {
                String familyId = "fam-" + round;
                String hash = familyId + "-0";
                ledger.startFamily(familyId, "alice", Set.of(), hash);
                CountDownLatch ready = new CountDownLatch(threads);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<RefreshFamily>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    String next = familyId + "-next-" + i;
                    Callable<RefreshFamily> exchange = () -> {
                        ready.countDown();
                        go.await();
                        return ledger.refresh(hash, next);
                    };
                    results.add(pool.submit(exchange));
                }
                assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
                go.countDown();

                int succeeded = 0;
                for (Future<RefreshFamily> result : results) {
                    try {
                        assertThat(result.get(10, TimeUnit.SECONDS).generation()).isEqualTo(1);
                        succeeded++;
                    } catch (ExecutionException e) {
                        assertThat(e.getCause()).isInstanceOf(InvalidGrantException.class);
                    }
                }
                assertThat(succeeded).as("successful exchanges in round %d", round).isEqualTo(1);
                assertThat(ledger.family(familyId).orElseThrow().generation()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
