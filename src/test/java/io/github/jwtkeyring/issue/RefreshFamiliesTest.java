package io.github.jwtkeyring.issue;

import static io.github.jwtkeyring.testing.LedgerNode.ACCESS_LIFETIME;
import static io.github.jwtkeyring.testing.LedgerNode.REFRESH_LIFETIME;
import static io.github.jwtkeyring.testing.LedgerNode.SETTINGS;
import static io.github.jwtkeyring.testing.LedgerNode.SKEW;
import static io.github.jwtkeyring.testing.LedgerNode.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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
import io.github.jwtkeyring.revocation.InvalidGrantException;
import io.github.jwtkeyring.revocation.LedgerEvent;
import io.github.jwtkeyring.revocation.LedgerJournal;
import io.github.jwtkeyring.revocation.RefreshFamily;
import io.github.jwtkeyring.revocation.TokenLedger;
import io.github.jwtkeyring.store.memory.MemoryLedgerJournal;
import io.github.jwtkeyring.testing.LedgerNode;
import io.github.jwtkeyring.testing.MutableClock;

/** The refresh-token state machine on a real ledger and journal: logins, exchanges, reuse, logouts, restarts. */
class RefreshFamiliesTest {

    private final MutableClock clock = new MutableClock(T0);
    private final MemoryLedgerJournal journal = new MemoryLedgerJournal();
    private final TokenLedger ledger = new TokenLedger(journal, clock, SETTINGS);
    private final RefreshFamilies families = new RefreshFamilies(ledger, clock, SETTINGS);

    /** A new node on the same journal, as after a restart. */
    private LedgerNode restarted() {
        return LedgerNode.on(journal, clock, SETTINGS).load();
    }

    private static Optional<String> rejectionOf(TokenLedger on, String jti, String subject, String sid) {
        return on.rejection(jti, subject, T0, sid);
    }

    @Test
    void startFamily_recordsGenerationZeroExpiringAfterTheRefreshLifetime() {
        RefreshFamily family = families.start("fam-1", "alice", Set.of("user", "admin"), "hash-0");

        assertThat(family.id()).isEqualTo("fam-1");
        assertThat(family.subject()).isEqualTo("alice");
        assertThat(family.groups()).containsExactlyInAnyOrder("user", "admin");
        assertThat(family.created()).isEqualTo(T0);
        assertThat(family.generation()).isZero();
        assertThat(family.expiresAt()).isEqualTo(T0.plus(REFRESH_LIFETIME));
        assertThat(family.revoked()).isFalse();
        assertThat(families.family("fam-1")).contains(family);
        assertThat(rejectionOf(ledger, "jti-1", "alice", "fam-1")).isEmpty();
    }

    @Test
    void refresh_withCurrentToken_rotatesToTheNextGenerationAndExtendsTheExpiry() {
        families.start("fam-1", "alice", Set.of("user"), "hash-0");
        clock.advance(Duration.ofHours(1));

        RefreshFamily first = families.exchange("hash-0", "hash-1");
        clock.advance(Duration.ofHours(1));
        RefreshFamily second = families.exchange("hash-1", "hash-2");

        assertThat(first.generation()).isEqualTo(1);
        assertThat(first.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(1)).plus(REFRESH_LIFETIME));
        assertThat(second.id()).isEqualTo("fam-1");
        assertThat(second.subject()).isEqualTo("alice");
        assertThat(second.groups()).containsExactly("user");
        assertThat(second.created()).as("the login time stays").isEqualTo(T0);
        assertThat(second.generation()).isEqualTo(2);
        assertThat(second.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(2)).plus(REFRESH_LIFETIME));
        assertThat(second.revoked()).isFalse();
        assertThat(families.family("fam-1")).contains(second);
    }

    @Test
    void refresh_withSupersededToken_throwsAndRevokesTheWholeFamily() {
        families.start("fam-1", "alice", Set.of("user"), "hash-0");
        families.exchange("hash-0", "hash-1");

        assertThatThrownBy(() -> families.exchange("hash-0", "hash-stolen")).isInstanceOf(InvalidGrantException.class)
                .hasMessageContaining("fam-1").hasMessageContaining("reused").hasMessageNotContaining("hash-0");

        assertThat(families.family("fam-1")).hasValueSatisfying(f -> assertThat(f.revoked()).isTrue());
        assertThat(rejectionOf(ledger, "jti-from-family", "alice", "fam-1"))
                .hasValueSatisfying(r -> assertThat(r).contains("fam-1"));
        assertThatThrownBy(() -> families.exchange("hash-1", "hash-2")).as("the current token dies with its family")
                .isInstanceOf(InvalidGrantException.class);
        assertThatThrownBy(() -> families.exchange("hash-stolen", "hash-3")).as("the replacement was never issued")
                .isInstanceOf(InvalidGrantException.class);
    }

    @Test
    void refresh_withUnknownHash_throwsInvalidGrant() {
        families.start("fam-1", "alice", Set.of(), "hash-0");

        assertThatThrownBy(() -> families.exchange("hash-never-issued", "hash-1")).isInstanceOf(InvalidGrantException.class)
                .hasMessageContaining("unknown");
        assertThat(families.family("fam-1").orElseThrow().revoked()).as("a guess does not hurt the family").isFalse();
    }

    @Test
    void refresh_onceTheRefreshLifetimeHasPassed_throwsInvalidGrant() {
        families.start("fam-1", "alice", Set.of(), "hash-0");
        clock.advance(REFRESH_LIFETIME.minusSeconds(1));
        families.exchange("hash-0", "hash-1");

        clock.advance(REFRESH_LIFETIME);

        assertThatThrownBy(() -> families.exchange("hash-1", "hash-2")).isInstanceOf(InvalidGrantException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void refresh_ofRevokedFamily_throwsInvalidGrant() {
        families.start("fam-1", "alice", Set.of(), "hash-0");
        families.start("fam-2", "alice", Set.of(), "other-0");

        families.revoke("fam-1");

        assertThatThrownBy(() -> families.exchange("hash-0", "hash-1")).isInstanceOf(InvalidGrantException.class)
                .hasMessageContaining("revoked");
        assertThat(rejectionOf(ledger, "jti-1", "alice", "fam-1")).isPresent();
        assertThat(rejectionOf(ledger, "jti-2", "alice", "fam-2")).isEmpty();
        assertThat(families.exchange("other-0", "other-1").generation()).isEqualTo(1);
    }

    @Test
    void refresh_ofFamilyBegunBeforeASubjectRevocation_throwsInvalidGrant_whileALaterLoginStillRefreshes() {
        families.start("before", "alice", Set.of(), "before-0");
        families.start("bob", "bob", Set.of(), "bob-0");
        clock.advance(Duration.ofMinutes(1));
        ledger.revokeSubject("alice");
        clock.advance(Duration.ofSeconds(1));
        families.start("after", "alice", Set.of(), "after-0");

        assertThatThrownBy(() -> families.exchange("before-0", "before-1")).isInstanceOf(InvalidGrantException.class)
                .hasMessageContaining("before");
        assertThat(families.exchange("after-0", "after-1").generation()).isEqualTo(1);
        assertThat(families.exchange("bob-0", "bob-1").generation()).isEqualTo(1);
    }

    @Test
    void logout_revokesTheAccessTokenAndItsFamily() {
        families.start("fam-1", "alice", Set.of(), "hash-0");
        families.start("fam-2", "alice", Set.of(), "other-0");

        families.logout("jti-1", T0.plus(ACCESS_LIFETIME), "fam-1");

        assertThat(rejectionOf(ledger, "jti-1", "alice", null)).isPresent();
        assertThat(rejectionOf(ledger, "jti-sibling", "alice", "fam-1")).as("other tokens of the session").isPresent();
        assertThat(rejectionOf(ledger, "jti-2", "alice", "fam-2")).as("another session").isEmpty();
        assertThatThrownBy(() -> families.exchange("hash-0", "hash-1")).isInstanceOf(InvalidGrantException.class);
        assertThat(families.exchange("other-0", "other-1").generation()).isEqualTo(1);
    }

    @Test
    void logout_withoutSession_revokesTheAccessTokenOnly() {
        families.start("fam-1", "alice", Set.of(), "hash-0");

        families.logout("jti-1", T0.plus(ACCESS_LIFETIME), null);

        assertThat(rejectionOf(ledger, "jti-1", "alice", null)).isPresent();
        assertThat(families.exchange("hash-0", "hash-1").generation()).isEqualTo(1);
    }

    @Test
    void load_onTheSameJournal_restoresEveryRevocationAndFamily() {
        ledger.revokeToken("jti-revoked", Optional.of(T0.plus(ACCESS_LIFETIME)));
        ledger.revokeSubject("mallory");
        families.start("fam-live", "alice", Set.of("user"), "live-0");
        families.exchange("live-0", "live-1");
        families.start("fam-logout", "bob", Set.of(), "logout-0");
        families.logout("jti-logout", T0.plus(ACCESS_LIFETIME), "fam-logout");
        clock.advance(Duration.ofMinutes(1));

        LedgerNode reloaded = restarted();

        assertThat(rejectionOf(reloaded.ledger(), "jti-revoked", "alice", null)).isPresent();
        assertThat(rejectionOf(reloaded.ledger(), "jti-any", "mallory", null)).isPresent();
        assertThat(rejectionOf(reloaded.ledger(), "jti-logout", "bob", null)).isPresent();
        assertThat(rejectionOf(reloaded.ledger(), "jti-other", "bob", "fam-logout")).isPresent();
        assertThat(rejectionOf(reloaded.ledger(), "jti-other", "alice", "fam-live")).isEmpty();
        assertThat(reloaded.families().family("fam-live")).isEqualTo(families.family("fam-live"));
        assertThat(reloaded.families().family("fam-logout").orElseThrow().revoked()).isTrue();
        assertThat(reloaded.ledger().size()).isEqualTo(ledger.size());
        assertThatThrownBy(() -> reloaded.families().exchange("logout-0", "logout-1"))
                .isInstanceOf(InvalidGrantException.class);
        assertThat(reloaded.families().exchange("live-1", "live-2").generation()).isEqualTo(2);
    }

    @Test
    void load_onTheSameJournal_stillDetectsReuseOfATokenSupersededBeforeTheRestart() {
        families.start("fam-1", "alice", Set.of(), "hash-0");
        families.exchange("hash-0", "hash-1");

        LedgerNode reloaded = restarted();

        assertThatThrownBy(() -> reloaded.families().exchange("hash-0", "hash-x")).isInstanceOf(InvalidGrantException.class)
                .hasMessageContaining("reused");
        assertThat(rejectionOf(reloaded.ledger(), "jti-1", "alice", "fam-1")).isPresent();
        assertThat(rejectionOf(restarted().ledger(), "jti-1", "alice", "fam-1")).as("the reuse is journaled too").isPresent();
    }

    @Test
    void prune_forgetsAnExpiredFamilyWithItsTokens_andAReloadDoesNotResurrectThem() {
        families.start("fam-old", "alice", Set.of(), "old-0");
        families.exchange("old-0", "old-1");
        clock.advance(Duration.ofHours(1));
        families.start("fam-new", "alice", Set.of(), "new-0");
        int before = ledger.size();

        clock.set(T0.plus(REFRESH_LIFETIME).plusSeconds(1));
        int removed = ledger.prune();

        assertThat(removed).as("the family and its two token hashes").isEqualTo(3);
        assertThat(ledger.size()).isEqualTo(before - 3);
        assertThat(families.family("fam-old")).isEmpty();
        assertThat(families.family("fam-new")).isPresent();
        LedgerNode reloaded = restarted();
        assertThat(reloaded.families().family("fam-old")).isEmpty();
        assertThat(reloaded.ledger().size()).isEqualTo(ledger.size());
        assertThatThrownBy(() -> reloaded.families().exchange("old-1", "old-2")).isInstanceOf(InvalidGrantException.class);
        assertThat(reloaded.families().exchange("new-0", "new-1").generation()).isEqualTo(1);
    }

    @Test
    void prune_keepsARevokedFamilyAsLongAsItsAccessTokensCouldLive() {
        families.start("fam-1", "alice", Set.of(), "hash-0");
        families.revoke("fam-1");

        clock.set(T0.plus(ACCESS_LIFETIME).plus(SKEW));
        ledger.prune();
        assertThat(rejectionOf(ledger, "jti-1", "alice", "fam-1")).isPresent();

        clock.advance(Duration.ofSeconds(1));
        ledger.prune();
        assertThat(families.family("fam-1")).isEmpty();
        assertThatThrownBy(() -> families.exchange("hash-0", "hash-1")).as("its token is forgotten, not revived")
                .isInstanceOf(InvalidGrantException.class);
        assertThat(ledger.size()).isZero();
    }

    @Test
    void failedJournalWrite_propagatesAndChangesNothing() {
        FailingJournal failing = new FailingJournal();
        LedgerNode onFailing = LedgerNode.on(failing, clock, SETTINGS);
        onFailing.families().start("fam-1", "alice", Set.of(), "hash-0");
        int size = onFailing.ledger().size();
        failing.fail = true;

        assertThatThrownBy(() -> onFailing.ledger().revokeToken("jti-1", Optional.of(T0.plus(ACCESS_LIFETIME))))
                .isSameAs(failing.failure);
        assertThatThrownBy(() -> onFailing.ledger().revokeSubject("alice")).isSameAs(failing.failure);
        assertThatThrownBy(() -> onFailing.families().logout("jti-2", T0.plus(ACCESS_LIFETIME), "fam-1"))
                .isSameAs(failing.failure);
        assertThatThrownBy(() -> onFailing.families().exchange("hash-0", "hash-1")).isSameAs(failing.failure);
        assertThatThrownBy(() -> onFailing.families().start("fam-2", "bob", Set.of(), "bob-0")).isSameAs(failing.failure);

        assertThat(onFailing.ledger().size()).isEqualTo(size);
        assertThat(rejectionOf(onFailing.ledger(), "jti-1", "alice", null)).isEmpty();
        assertThat(rejectionOf(onFailing.ledger(), "jti-2", "alice", "fam-1")).isEmpty();
        assertThat(onFailing.families().family("fam-1").orElseThrow().generation()).isZero();
        assertThat(onFailing.families().family("fam-2")).isEmpty();

        failing.fail = false;
        assertThat(onFailing.families().exchange("hash-0", "hash-1").generation()).as("the token is still usable").isEqualTo(1);
        assertThatThrownBy(() -> onFailing.families().exchange("hash-0", "hash-2")).as("but only once")
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

    @Test
    void refresh_concurrentlyWithTheSameToken_succeedsExactlyOnce() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 25; round++) {
                String familyId = "fam-" + round;
                String hash = familyId + "-0";
                families.start(familyId, "alice", Set.of(), hash);
                CountDownLatch ready = new CountDownLatch(threads);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<RefreshFamily>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    String next = familyId + "-next-" + i;
                    Callable<RefreshFamily> exchange = () -> {
                        ready.countDown();
                        go.await();
                        return families.exchange(hash, next);
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
                assertThat(families.family(familyId).orElseThrow().generation()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
