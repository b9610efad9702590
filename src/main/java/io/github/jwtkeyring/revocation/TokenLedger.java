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
import java.util.concurrent.locks.ReentrantLock;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.revocation.LedgerEvent.FamilyRecorded;
import io.github.jwtkeyring.revocation.LedgerEvent.RefreshTokenRecorded;
import io.github.jwtkeyring.revocation.LedgerEvent.SubjectRevoked;
import io.github.jwtkeyring.revocation.LedgerEvent.TokenRevoked;

/**
 * The server-side record of tokens: revoked access tokens (by {@code jti}), revoked subjects ("every token of S issued
 * until T"), and refresh-token families with the hashes of their tokens.
 * <p>
 * Checks ({@link #rejection}) are three hash lookups in memory: no lock, no I/O, fit for the event loop. Changes are
 * serialized by one lock and recorded in the {@link LedgerJournal} before they take effect in memory, so a change the
 * caller was told about survives a crash and a failed write changes nothing. Entries are forgotten once nothing they
 * reject can be valid any more ({@link #prune}).
 * <p>
 * This is a central type: its refresh logic, revocations and pruning share one lock and one set of maps, which is
 * why it is longer than most.
 */
public final class TokenLedger {

    private static final Logger LOG = Logger.getLogger(TokenLedger.class);
    /** Compaction waits until the journal holds this many events more than twice the live entries. */
    private static final int COMPACTION_SLACK = 1000;

    private final LedgerJournal journal;
    private final InstantSource clock;
    private final LedgerSettings settings;
    private final ReentrantLock changes = new ReentrantLock();

    private final Map<String, Instant> revokedTokens = new ConcurrentHashMap<>();
    private final Map<String, SubjectRevoked> revokedSubjects = new ConcurrentHashMap<>();
    private final Map<String, RefreshFamily> families = new ConcurrentHashMap<>();
    private final Map<String, RefreshTokenRecorded> refreshTokens = new ConcurrentHashMap<>();
    private long journalEvents;

    public TokenLedger(LedgerJournal journal, InstantSource clock, LedgerSettings settings) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Replays the journal, forgets what has expired, and compacts the journal into a snapshot.
     *
     * @throws io.github.jwtkeyring.keys.StoreException if the journal cannot be read; it is left untouched
     */
    public void load() {
        changes.lock();
        try {
            List<LedgerEvent> events = journal.replay();
            events.forEach(this::apply);
            removeExpired(clock.instant());
            compact();
            LOG.infof("Token ledger loaded from %s: %d revoked tokens, %d revoked subjects, %d refresh families",
                    journal.describe(), revokedTokens.size(), revokedSubjects.size(), families.size());
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
        if (!journal.shared()) {
            return 0;
        }
        changes.lock();
        try {
            LedgerChanges pulled = journal.pull();
            if (pulled.fullState()) {
                replaceWith(pulled.events());
            } else {
                pulled.events().forEach(this::apply);
            }
            return pulled.events().size();
        } finally {
            changes.unlock();
        }
    }

    /**
     * Takes in a journal's whole state: applies it on top, then forgets what it no longer holds, so that checks (which
     * take no lock) never see an entry missing that both the old and the new state hold.
     */
    private void replaceWith(List<LedgerEvent> state) {
        Set<String> jtis = new HashSet<>();
        Set<String> subjects = new HashSet<>();
        Set<String> familyIds = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (LedgerEvent event : state) {
            apply(event);
            if (event instanceof TokenRevoked e) {
                jtis.add(e.jti());
            } else if (event instanceof SubjectRevoked e) {
                subjects.add(e.subject());
            } else if (event instanceof FamilyRecorded e) {
                familyIds.add(e.family().id());
            } else if (event instanceof RefreshTokenRecorded e) {
                hashes.add(e.hash());
            }
        }
        revokedTokens.keySet().retainAll(jtis);
        revokedSubjects.keySet().retainAll(subjects);
        families.keySet().retainAll(familyIds);
        refreshTokens.keySet().retainAll(hashes);
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
        if (revokedTokens.containsKey(jti)) {
            return Optional.of("token '" + jti + "' is revoked");
        }
        SubjectRevoked subjectRevoked = revokedSubjects.get(subject);
        if (subjectRevoked != null && issuedAt.getEpochSecond() <= subjectRevoked.cutoff().getEpochSecond()) {
            return Optional.of("every token of its subject issued until " + subjectRevoked.cutoff() + " is revoked");
        }
        RefreshFamily family = sessionId == null ? null : families.get(sessionId);
        if (family != null && family.revoked()) {
            return Optional.of("its refresh-token family '" + sessionId + "' is revoked");
        }
        return Optional.empty();
    }

    /**
     * Revokes the access token {@code jti}.
     *
     * @param expiresAt the token's {@code exp}, or empty if unknown: it is then kept as long as any access token
     *        issued now could live
     */
    public void revokeToken(String jti, Optional<Instant> expiresAt) {
        record(List.of(tokenRevoked(jti, expiresAt)));
    }

    /** Revokes every token of {@code subject} issued until now, and the refresh families begun until now. */
    public void revokeSubject(String subject) {
        Instant now = clock.instant();
        Duration longest = max(settings.longestAccessLifetime().get(), settings.refreshLifetime());
        record(List.of(new SubjectRevoked(subject, now, now.plus(longest).plus(settings.clockSkew()))));
    }

    /**
     * Logs out: revokes the access token {@code jti} and, if it came from one, its refresh family, in one durable
     * step.
     */
    public void logout(String jti, Instant expiresAt, String sessionId) {
        changes.lock();
        try {
            List<LedgerEvent> events = new ArrayList<>();
            events.add(tokenRevoked(jti, Optional.of(expiresAt)));
            RefreshFamily family = sessionId == null ? null : knownFamily(sessionId);
            if (family != null && !family.revoked()) {
                events.add(new FamilyRecorded(revokedFamily(family)));
            }
            record(events);
        } finally {
            changes.unlock();
        }
    }

    /**
     * Begins a refresh family with its first token.
     *
     * @param familyId a new, random family id
     * @param tokenHash the hash of the first refresh token
     */
    public RefreshFamily startFamily(String familyId, String subject, Set<String> groups, String tokenHash) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(settings.refreshLifetime());
        RefreshFamily family = new RefreshFamily(familyId, subject, groups, now, 0, expiresAt, null, expiresAt);
        record(List.of(new FamilyRecorded(family), new RefreshTokenRecorded(tokenHash, familyId, 0, expiresAt)));
        return family;
    }

    /**
     * Exchanges the refresh token whose hash is {@code presentedHash} for the next one of its family. Of concurrent
     * exchanges of the same token exactly one succeeds. Presenting a token that was already exchanged revokes the
     * whole family, because either the client or a thief holds a copy.
     *
     * @param nextHash the hash of the refresh token that replaces it
     * @return the family after the exchange
     * @throws InvalidGrantException if the token is unknown, expired, superseded or revoked
     */
    public RefreshFamily refresh(String presentedHash, String nextHash) {
        changes.lock();
        try {
            try {
                return exchange(presentedHash, nextHash);
            } catch (LedgerConflictException e) {
                // another node exchanged this family's token first: catch up, and the reuse check decides
                sync();
                return exchange(presentedHash, nextHash);
            }
        } finally {
            changes.unlock();
        }
    }

    private RefreshFamily exchange(String presentedHash, String nextHash) {
        Instant now = clock.instant();
        RefreshFamily family = exchangeable(presentedHash, now);
        int next = family.generation() + 1;
        RefreshFamily rotated = family.rotated(next, now.plus(settings.refreshLifetime()));
        record(List.of(new FamilyRecorded(rotated),
                new RefreshTokenRecorded(nextHash, family.id(), next, rotated.expiresAt())));
        return rotated;
    }

    private RefreshFamily exchangeable(String presentedHash, Instant now) {
        RefreshTokenRecorded token = refreshTokens.get(presentedHash);
        if (token == null && journal.shared()) {
            // issued by another node a moment ago, perhaps
            sync();
            token = refreshTokens.get(presentedHash);
        }
        if (token == null) {
            throw new InvalidGrantException("The refresh token is unknown.");
        }
        if (!now.isBefore(token.keepUntil())) {
            throw new InvalidGrantException("The refresh token of family '" + token.familyId() + "' has expired.");
        }
        RefreshFamily family = families.get(token.familyId());
        if (family == null || family.revoked()) {
            throw new InvalidGrantException("The refresh family '" + token.familyId() + "' is revoked.");
        }
        SubjectRevoked subjectRevoked = revokedSubjects.get(family.subject());
        if (subjectRevoked != null && !family.created().isAfter(subjectRevoked.cutoff())) {
            throw new InvalidGrantException("Every refresh family of the subject of family '" + family.id()
                    + "' begun until " + subjectRevoked.cutoff() + " is revoked.");
        }
        if (token.generation() != family.generation()) {
            record(List.of(new FamilyRecorded(revokedFamily(family))));
            LOG.warnf("Refresh token of generation %d of family '%s' (subject '%s') was used again after generation "
                    + "%d replaced it: the family is revoked as stolen.", token.generation(), family.id(),
                    family.subject(), family.generation());
            throw new InvalidGrantException("A superseded refresh token of family '" + family.id()
                    + "' was reused; the family is revoked.");
        }
        return family;
    }

    /** Revokes the refresh family {@code familyId} and the access tokens it produced; unknown ids are ignored. */
    public void revokeFamily(String familyId) {
        changes.lock();
        try {
            RefreshFamily family = knownFamily(familyId);
            if (family != null && !family.revoked()) {
                record(List.of(new FamilyRecorded(revokedFamily(family))));
            }
        } finally {
            changes.unlock();
        }
    }

    /** The family, looking in a shared journal too if this node has not seen it yet. */
    private RefreshFamily knownFamily(String familyId) {
        RefreshFamily family = families.get(familyId);
        if (family == null && journal.shared()) {
            sync();
            family = families.get(familyId);
        }
        return family;
    }

    /** The family {@code familyId}, if the ledger still knows it. */
    public Optional<RefreshFamily> family(String familyId) {
        return Optional.ofNullable(families.get(familyId));
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

    /** How many entries the ledger holds: revoked tokens, revoked subjects, families and refresh tokens. */
    public int size() {
        return revokedTokens.size() + revokedSubjects.size() + families.size() + refreshTokens.size();
    }

    /** Releases the journal's file or connection. */
    public void close() {
        journal.close();
    }

    private RefreshFamily revokedFamily(RefreshFamily family) {
        Instant now = clock.instant();
        return family.revoked(now, now.plus(settings.longestAccessLifetime().get()).plus(settings.clockSkew()));
    }

    private TokenRevoked tokenRevoked(String jti, Optional<Instant> expiresAt) {
        Instant expiry = expiresAt.orElseGet(() -> clock.instant().plus(settings.longestAccessLifetime().get()));
        return new TokenRevoked(jti, expiry.plus(settings.clockSkew()));
    }

    private void record(List<LedgerEvent> events) {
        changes.lock();
        try {
            journal.append(events);
            events.forEach(this::apply);
            journalEvents += events.size();
            if (journalEvents > 2L * size() + COMPACTION_SLACK) {
                compactQuietly();
            }
        } finally {
            changes.unlock();
        }
    }

    private void apply(LedgerEvent event) {
        if (event instanceof TokenRevoked e) {
            revokedTokens.merge(e.jti(), e.keepUntil(), TokenLedger::later);
        } else if (event instanceof SubjectRevoked e) {
            revokedSubjects.merge(e.subject(), e, (old, now) -> old.cutoff().isAfter(now.cutoff()) ? old : now);
        } else if (event instanceof FamilyRecorded e) {
            families.put(e.family().id(), e.family());
        } else if (event instanceof RefreshTokenRecorded e) {
            refreshTokens.put(e.hash(), e);
        }
    }

    private int removeExpired(Instant now) {
        int before = size();
        revokedTokens.values().removeIf(now::isAfter);
        revokedSubjects.values().removeIf(e -> now.isAfter(e.keepUntil()));
        families.values().removeIf(f -> now.isAfter(f.keepUntil()));
        refreshTokens.values().removeIf(t -> now.isAfter(t.keepUntil()) || !families.containsKey(t.familyId()));
        return before - size();
    }

    private void compact() {
        if (journal.shared()) {
            // a shared journal keeps state, not history: prune() is all it needs
            return;
        }
        List<LedgerEvent> snapshot = new ArrayList<>(size());
        revokedTokens.forEach((jti, until) -> snapshot.add(new TokenRevoked(jti, until)));
        snapshot.addAll(revokedSubjects.values());
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

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
