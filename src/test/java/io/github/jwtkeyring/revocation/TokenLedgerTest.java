package io.github.jwtkeyring.revocation;

import static io.github.jwtkeyring.testing.LedgerNode.ACCESS_LIFETIME;
import static io.github.jwtkeyring.testing.LedgerNode.REFRESH_LIFETIME;
import static io.github.jwtkeyring.testing.LedgerNode.SETTINGS;
import static io.github.jwtkeyring.testing.LedgerNode.SKEW;
import static io.github.jwtkeyring.testing.LedgerNode.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.revocation.LedgerEvent.TokenRevoked;
import io.github.jwtkeyring.store.memory.MemoryLedgerJournal;
import io.github.jwtkeyring.testing.MutableClock;

/** Revocations on a real journal in memory: what they reject, how long they are kept, restarts, shared journals. */
class TokenLedgerTest {

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
    void load_onTheSameJournal_restoresEveryRevocation() {
        ledger.revokeToken("jti-revoked", Optional.of(T0.plus(ACCESS_LIFETIME)));
        ledger.revokeSubject("mallory");
        clock.advance(Duration.ofMinutes(1));

        TokenLedger reloaded = restarted();

        assertThat(rejectionOf(reloaded, "jti-revoked", "alice", null)).isPresent();
        assertThat(rejectionOf(reloaded, "jti-any", "mallory", null)).isPresent();
        assertThat(rejectionOf(reloaded, "jti-other", "alice", null)).isEmpty();
        assertThat(reloaded.size()).isEqualTo(2);
    }

    @Test
    void revokeToken_withEventsTogether_recordsAndAppliesThemAll() {
        ledger.revokeToken("jti-1", Optional.empty(), List.of(new TokenRevoked("jti-2", T0.plus(ACCESS_LIFETIME))));

        assertThat(journal.replay()).extracting(e -> ((TokenRevoked) e).jti()).containsExactly("jti-1", "jti-2");
        assertThat(rejectionOf(ledger, "jti-1", "alice", null)).isPresent();
        assertThat(rejectionOf(ledger, "jti-2", "alice", null)).isPresent();
    }

    @Test
    void atomically_whenASharedJournalReportsAConflict_takesInTheOtherNodesChangesAndDecidesAgain() {
        SharedJournal shared = new SharedJournal();
        TokenLedger node = new TokenLedger(shared, clock, SETTINGS);
        node.load();
        shared.otherNode.add(new TokenRevoked("jti-from-the-other-node", T0.plus(ACCESS_LIFETIME)));
        shared.conflicts = 1;
        List<Optional<String>> seen = new ArrayList<>();

        String outcome = node.atomically(() -> {
            seen.add(node.rejection("jti-from-the-other-node", "alice", T0, null));
            node.revokeToken("jti-here", Optional.empty());
            return "recorded";
        });

        assertThat(outcome).isEqualTo("recorded");
        assertThat(seen).as("the first try did not know, the second did").hasSize(2)
                .satisfies(s -> assertThat(s.get(0)).isEmpty(), s -> assertThat(s.get(1)).isPresent());
        assertThat(rejectionOf(node, "jti-here", "alice", null)).isPresent();
    }

    /** A journal shared with another node: it offers that node's changes and refuses the next appends with conflicts. */
    private static final class SharedJournal implements LedgerJournal {

        final MemoryLedgerJournal delegate = new MemoryLedgerJournal();
        final List<LedgerEvent> otherNode = new ArrayList<>();
        int conflicts;

        @Override
        public List<LedgerEvent> replay() {
            return delegate.replay();
        }

        @Override
        public void append(List<LedgerEvent> events) {
            if (conflicts > 0) {
                conflicts--;
                throw new LedgerConflictException("Another node changed it first.");
            }
            delegate.append(events);
        }

        @Override
        public void rewrite(List<LedgerEvent> snapshot) {
            delegate.rewrite(snapshot);
        }

        @Override
        public Optional<LedgerFeed> feed() {
            return Optional.of(() -> {
                LedgerChanges changes = new LedgerChanges(List.copyOf(otherNode), false);
                otherNode.clear();
                return changes;
            });
        }

        @Override
        public String describe() {
            return "shared journal";
        }

        @Override
        public void close() {
        }
    }
}
