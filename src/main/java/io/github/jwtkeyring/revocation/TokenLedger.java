package io.github.jwtkeyring.revocation;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.revocation.LedgerEvent.FamilyRecorded;
import io.github.jwtkeyring.revocation.LedgerEvent.RefreshTokenRecorded;
import io.github.jwtkeyring.revocation.LedgerEvent.SubjectRevoked;
import io.github.jwtkeyring.revocation.LedgerEvent.TokenRevoked;

/**
 * The server-side record of tokens, kept in a {@link LedgerJournal}: revoked access tokens (by {@code jti}), revoked
 * subjects ("every token of S issued until T"), and the refresh-token families with the hashes of their tokens.
 * <p>
 * Its jobs are the journal's: changes are serialized by one lock and queued in the journal as they take effect in
 * memory; the caller returns only once the journal holds them durably (group commit: changes that arrive together share
 * one forced write, made outside the lock). So a change the caller was told about survives a crash. A change whose
 * write failed was never told about, and neither was any change queued after it: the ledger reads the journal back
 * before it records anything else, so a failed write changes nothing for long. Meanwhile token checks may already see
 * it, and a refresh decides on it, which is safe: a revocation seen early only rejects a token sooner, and a decision
 * taken on it is written after it, so it is acknowledged only if both are durable. The journal is
 * replayed at startup, compacted when it has grown, pruned of what can no longer reject anything, and, if it has a
 * {@link LedgerFeed}, kept up to date with what other nodes record. What is checked on every request is a
 * {@link RevocationList}, an immutable snapshot swapped in with each change ({@link #rejection}: no lock, no I/O). What
 * a refresh token may do is decided by the refresh-token state machine beside {@code issue.RefreshTokens}, which reads
 * families here and records its decisions here, inside {@link #atomically}.
 */
public final class TokenLedger {

    private static final Logger LOG = Logger.getLogger(TokenLedger.class);
    /** Compaction waits until the journal holds this many events more than twice the live entries. */
    private static final int COMPACTION_SLACK = 1000;

    private final LedgerJournal journal;
    private final InstantSource clock;
    private final LedgerSettings settings;
    private final Optional<LedgerFeed> feed;
    private final ReentrantLock changes = new ReentrantLock();

    /** The read path of every request: replaced, never changed, under the lock. */
    private final AtomicReference<RevocationList> revocations = new AtomicReference<>(RevocationList.EMPTY);
    /** Refresh state, changed under the lock only. */
    private final Map<String, RefreshFamily> families = new ConcurrentHashMap<>();
    private final Map<String, RefreshTokenRecorded> refreshTokens = new ConcurrentHashMap<>();
    private long journalEvents;
    /** The last ticket a {@link #record} inside {@link #atomically} queued on this thread, to wait for after it. */
    private final ThreadLocal<Long> owed = new ThreadLocal<>();

    public TokenLedger(LedgerJournal journal, InstantSource clock, LedgerSettings settings) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.feed = journal.feed();
    }

    /**
     * Replays the journal, forgets what has expired, and compacts the journal into a snapshot.
     *
     * @throws io.github.jwtkeyring.keys.StoreException if the journal cannot be read; it is left untouched
     */
    public void load() {
        changes.lock();
        try {
            apply(journal.replay());
            removeExpired(clock.instant());
            compact();
            LOG.infof("Token ledger loaded from %s: %d revocations, %d refresh families", journal.describe(),
                    revocations.get().size(), families.size());
        } finally {
            changes.unlock();
        }
    }

    /**
     * Takes in what other nodes recorded in a shared journal since the last look; nothing for a journal of one node.
     *
     * @return how many events were applied
     * @throws io.github.jwtkeyring.keys.StoreException if the journal cannot be read; the ledger stays as it was
     */
    public int sync() {
        if (feed.isEmpty()) {
            return 0;
        }
        changes.lock();
        try {
            LedgerChanges pulled = feed.get().pull();
            if (pulled.fullState()) {
                replaceWith(pulled.events());
            } else {
                apply(pulled.events());
            }
            return pulled.events().size();
        } finally {
            changes.unlock();
        }
    }

    /**
     * Why an access token that passed signature and claim checks is nevertheless refused, or empty if it is not.
     *
     * @param jti the token's {@code jti}
     * @param subject its {@code sub}
     * @param issuedAt its {@code iat}
     * @param sessionId its {@code sid}, or {@code null} if it came from no refresh family
     */
    public Optional<String> rejection(String jti, String subject, Instant issuedAt, String sessionId) {
        return revocations.get().rejection(jti, subject, issuedAt, sessionId);
    }

    /** Until when every token and refresh family of {@code subject} is revoked, if it is. */
    public Optional<Instant> subjectCutoff(String subject) {
        return revocations.get().subjectCutoff(subject);
    }

    /**
     * Revokes the access token {@code jti}.
     *
     * @param expiresAt the token's {@code exp}, or empty if unknown: it is then kept as long as any access token
     *        issued now could live
     */
    public void revokeToken(String jti, Optional<Instant> expiresAt) {
        revokeToken(jti, expiresAt, List.of());
    }

    /**
     * Revokes the access token {@code jti} and records {@code together} with it, in one durable step.
     *
     * @param expiresAt as for {@link #revokeToken(String, Optional)}
     */
    public void revokeToken(String jti, Optional<Instant> expiresAt, List<LedgerEvent> together) {
        Instant expiry = expiresAt.orElseGet(() -> clock.instant().plus(settings.longestAccessLifetime().get()));
        List<LedgerEvent> events = new ArrayList<>(together.size() + 1);
        events.add(new TokenRevoked(jti, expiry.plus(settings.clockSkew())));
        events.addAll(together);
        record(events);
    }

    /** Revokes every token of {@code subject} issued until now, and the refresh families begun until now. */
    public void revokeSubject(String subject) {
        Instant now = clock.instant();
        Duration longest = max(settings.longestAccessLifetime().get(), settings.refreshLifetime());
        record(List.of(new SubjectRevoked(subject, now, now.plus(longest).plus(settings.clockSkew()))));
    }

    /**
     * Runs {@code change}, which reads the ledger and {@link #record}s what it decides, as one step that no other
     * change interleaves with. If a shared journal refuses a write because another node changed the same family first,
     * the ledger takes in that node's changes and runs {@code change} once more, to decide again on the newer state.
     */
    public <T> T atomically(Supplier<T> change) {
        try {
            changes.lock();
            try {
                recoverIfNeeded(); // the change decides on what the journal holds
                try {
                    return change.get();
                } catch (LedgerConflictException e) {
                    sync();
                    return change.get();
                }
            } finally {
                changes.unlock();
            }
        } finally {
            // what the change recorded (a reused refresh token's revocation, even when it then refuses the token) is
            // durable before the caller answers; if it cannot be, that write failure is the answer
            awaitOwed();
        }
    }

    /**
     * Records {@code events} in the journal, then takes them in: one new revocation snapshot for all of them.
     *
     * @throws io.github.jwtkeyring.keys.StoreException if the journal could not record them; nothing changed then
     * @throws LedgerConflictException if a shared journal holds a newer state of a family being rotated
     */
    public void record(List<LedgerEvent> events) {
        record(events, () -> null);
    }

    /**
     * Records {@code events} as {@link #record(List)} does, and runs {@code meanwhile} while the journal makes them
     * durable (after they took effect): its result is returned once they are durable. If {@code meanwhile} throws,
     * that is thrown, once the events are durable or failed.
     *
     * @throws io.github.jwtkeyring.keys.StoreException if the journal could not record them
     * @throws LedgerConflictException if a shared journal holds a newer state of a family being rotated
     */
    public <T> T record(List<LedgerEvent> events, Supplier<T> meanwhile) {
        long ticket;
        changes.lock();
        try {
            recoverIfNeeded();
            ticket = journal.write(events);
            apply(events);
            journalEvents += events.size();
            if (journalEvents > 2L * size() + COMPACTION_SLACK) {
                compactQuietly();
            }
        } finally {
            changes.unlock();
        }
        if (changes.isHeldByCurrentThread()) {
            // inside atomically(): it waits once its lock is released, so that others may queue meanwhile
            owed.set(Math.max(ticket, owed.get() == null ? 0 : owed.get()));
            return meanwhile.get();
        }
        T result;
        try {
            result = meanwhile.get();
        } catch (RuntimeException e) {
            try {
                awaitDurable(ticket);
            } catch (RuntimeException failed) {
                e.addSuppressed(failed);
            }
            throw e;
        }
        awaitDurable(ticket);
        return result;
    }

    /** Waits for what {@link #record} queued inside {@link #atomically} on this thread. */
    private void awaitOwed() {
        Long ticket = owed.get();
        if (ticket != null) {
            owed.remove();
            awaitDurable(ticket);
        }
    }

    /**
     * Waits until the journal holds {@code ticket}. If its group write failed, the memory holds events the journal
     * does not (this one's, and any queued after it): the ledger reads the journal back before anyone else changes it.
     */
    private void awaitDurable(long ticket) {
        try {
            journal.awaitDurable(ticket);
        } catch (StoreException e) {
            changes.lock();
            try {
                recoverIfNeeded();
            } catch (StoreException unreadable) {
                // the journal cannot be read back now either (a database that is down): the next change tries again
                e.addSuppressed(unreadable);
            } finally {
                changes.unlock();
            }
            throw e;
        }
    }

    /**
     * After a failed group write, replaces the memory with what the journal holds. Under the lock.
     *
     * @throws StoreException if the journal cannot be read back now; the next change tries again
     */
    private void recoverIfNeeded() {
        if (journal.needsRecovery()) {
            List<LedgerEvent> state = journal.replay();
            replaceWith(state);
            journalEvents = state.size();
            journal.recovered();
            LOG.warnf("The token ledger was read back from %s after a failed write: %d entries", journal.describe(),
                    size());
        }
    }

    /** The family {@code familyId}, looking in a shared journal too if this node has not seen it yet. */
    public Optional<RefreshFamily> family(String familyId) {
        return Optional.ofNullable(seen(() -> families.get(familyId)));
    }

    /**
     * The refresh token whose hash is {@code hash}, looking in a shared journal too if this node has not seen it yet
     * (it may have been issued by another node a moment ago).
     */
    public Optional<RefreshTokenRecorded> refreshToken(String hash) {
        return Optional.ofNullable(seen(() -> refreshTokens.get(hash)));
    }

    private <T> T seen(Supplier<T> lookup) {
        T found = lookup.get();
        if (found == null && feed.isPresent()) {
            sync();
            found = lookup.get();
        }
        return found;
    }

    /**
     * Forgets every entry that can no longer reject anything, and compacts the journal when it has grown well beyond
     * the live entries.
     *
     * @return how many entries were forgotten
     */
    public int prune() {
        changes.lock();
        try {
            Instant now = clock.instant();
            int removed = removeExpired(now);
            journal.prune(now);
            if (journalEvents > 2L * size() + COMPACTION_SLACK) {
                compact();
            }
            return removed;
        } finally {
            changes.unlock();
        }
    }

    /** How many entries the ledger holds: revocations, families and refresh tokens. */
    public int size() {
        return revocations.get().size() + families.size() + refreshTokens.size();
    }

    /** How many revocations the ledger holds: access tokens, sessions and subjects. */
    public int revocationCount() {
        return revocations.get().size();
    }

    /** How many refresh-token families the ledger holds, revoked ones included until they are pruned. */
    public int familyCount() {
        return families.size();
    }

    /** Releases the journal's file or connection. */
    public void close() {
        journal.close();
    }

    /** Applies {@code events}: one new revocation snapshot for all of them, and the refresh state. Under the lock. */
    private void apply(List<LedgerEvent> events) {
        events.forEach(this::applyToRefresh);
        revocations.set(revocations.get().with(events));
    }

    private void applyToRefresh(LedgerEvent event) {
        if (event instanceof FamilyRecorded e) {
            families.put(e.family().id(), e.family());
        } else if (event instanceof RefreshTokenRecorded e) {
            refreshTokens.put(e.hash(), e);
        }
    }

    /**
     * Takes in a journal's whole state: the revocations become a new snapshot of exactly that state (swapped in at
     * once, so checks never see a moment without either); the families and refresh tokens get it applied on top, then
     * forget what it no longer holds.
     */
    private void replaceWith(List<LedgerEvent> state) {
        Set<String> familyIds = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (LedgerEvent event : state) {
            applyToRefresh(event);
            if (event instanceof FamilyRecorded e) {
                familyIds.add(e.family().id());
            } else if (event instanceof RefreshTokenRecorded e) {
                hashes.add(e.hash());
            }
        }
        revocations.set(RevocationList.EMPTY.with(state));
        families.keySet().retainAll(familyIds);
        refreshTokens.keySet().retainAll(hashes);
    }

    private int removeExpired(Instant now) {
        int before = size();
        revocations.set(revocations.get().pruned(now));
        families.values().removeIf(f -> now.isAfter(f.keepUntil()));
        refreshTokens.values().removeIf(t -> now.isAfter(t.keepUntil()) || !families.containsKey(t.familyId()));
        return before - size();
    }

    private void compact() {
        if (feed.isPresent()) {
            // a shared journal keeps state, not history: prune() is all it needs
            return;
        }
        List<LedgerEvent> snapshot = new ArrayList<>(revocations.get().events());
        families.values().forEach(f -> snapshot.add(new FamilyRecorded(f)));
        snapshot.addAll(refreshTokens.values());
        journal.rewrite(snapshot);
        journalEvents = snapshot.size();
    }

    /** The change is already durable; a failed compaction only leaves a longer journal, retried at the next prune. */
    private void compactQuietly() {
        try {
            compact();
        } catch (RuntimeException e) {
            LOG.warnf("Compacting the token ledger journal %s failed and will be retried: %s", journal.describe(),
                    e.getMessage());
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
