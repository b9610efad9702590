package io.github.jwtkeyring.revocation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.github.jwtkeyring.revocation.LedgerEvent.FamilyRecorded;
import io.github.jwtkeyring.revocation.LedgerEvent.SubjectRevoked;
import io.github.jwtkeyring.revocation.LedgerEvent.TokenRevoked;

/**
 * What every access token is checked against on every request: the revoked {@code jti}s, the revoked subjects (every
 * token issued until a cutoff) and the revoked refresh-token families ({@code sid}), as one immutable snapshot that
 * the {@link TokenLedger} replaces atomically with each change, as the key ring is replaced. A check reads it without a
 * lock: three lookups of constant cost, no I/O.
 * <p>
 * Each of the three is a {@link HashTrie}, so that a change copies a few small parts and shares the rest with the
 * snapshot before it: a logout among 1,000,000 held revocations copies some hundreds of entries, not 1,000,000.
 */
public final class RevocationList {

    /** No revocations. */
    public static final RevocationList EMPTY = new RevocationList(HashTrie.empty(), HashTrie.empty(),
            HashTrie.empty());

    /** Revoked jtis, each until its {@code keepUntil}. */
    private final HashTrie<Instant> tokens;
    private final HashTrie<SubjectRevoked> subjects;
    /** Revoked refresh families, each until its {@code keepUntil}. */
    private final HashTrie<Instant> families;

    private RevocationList(HashTrie<Instant> tokens, HashTrie<SubjectRevoked> subjects, HashTrie<Instant> families) {
        this.tokens = tokens;
        this.subjects = subjects;
        this.families = families;
    }

    /**
     * Why an access token is refused, or empty if nothing revokes it.
     *
     * @param familyId its {@code sid}, or {@code null} without one
     */
    public Optional<String> rejection(String jti, String subject, Instant issuedAt, String familyId) {
        if (tokens.containsKey(jti)) {
            return Optional.of("token '" + jti + "' is revoked");
        }
        SubjectRevoked revoked = subjects.get(subject);
        if (revoked != null && issuedAt.getEpochSecond() <= revoked.cutoff().getEpochSecond()) {
            return Optional.of("every token of its subject issued until " + revoked.cutoff() + " is revoked");
        }
        if (familyId != null && families.containsKey(familyId)) {
            return Optional.of("its refresh-token family '" + familyId + "' is revoked");
        }
        return Optional.empty();
    }

    /** Until when every token of {@code subject} is revoked, if it is. */
    public Optional<Instant> subjectCutoff(String subject) {
        return Optional.ofNullable(subjects.get(subject)).map(SubjectRevoked::cutoff);
    }

    /**
     * This list with {@code events} applied: revoked tokens and subjects, and families recorded as revoked; other
     * events change nothing here, and a list they leave as it was is returned as it is.
     */
    public RevocationList with(List<LedgerEvent> events) {
        HashTrie.Builder<Instant> newTokens = tokens.toBuilder();
        HashTrie.Builder<SubjectRevoked> newSubjects = subjects.toBuilder();
        HashTrie.Builder<Instant> newFamilies = families.toBuilder();
        for (LedgerEvent event : events) {
            if (event instanceof TokenRevoked e) {
                newTokens.merge(e.jti(), e.keepUntil(), RevocationList::later);
            } else if (event instanceof SubjectRevoked e) {
                newSubjects.merge(e.subject(), e, RevocationList::laterCutoff);
            } else if (event instanceof FamilyRecorded e && e.family().revoked()) {
                newFamilies.merge(e.family().id(), e.family().keepUntil(), RevocationList::later);
            }
        }
        return of(newTokens.build(), newSubjects.build(), newFamilies.build());
    }

    /** This list without what can no longer reject anything at {@code now}. */
    public RevocationList pruned(Instant now) {
        return of(tokens.toBuilder().removeIf(now::isAfter).build(),
                subjects.toBuilder().removeIf(revoked -> now.isAfter(revoked.keepUntil())).build(),
                families.toBuilder().removeIf(now::isAfter).build());
    }

    /** Every entry as an event, for a snapshot of the journal: revoked tokens and subjects (families are the ledger's). */
    public List<LedgerEvent> events() {
        List<LedgerEvent> events = new ArrayList<>(tokens.size() + subjects.size());
        tokens.forEach((jti, until) -> events.add(new TokenRevoked(jti, until)));
        subjects.forEach((subject, revoked) -> events.add(revoked));
        return events;
    }

    /** How many revoked tokens and subjects it holds (revoked families are counted by the ledger with its families). */
    public int size() {
        return tokens.size() + subjects.size();
    }

    private RevocationList of(HashTrie<Instant> newTokens, HashTrie<SubjectRevoked> newSubjects,
            HashTrie<Instant> newFamilies) {
        if (newTokens == tokens && newSubjects == subjects && newFamilies == families) {
            return this;
        }
        return new RevocationList(newTokens, newSubjects, newFamilies);
    }

    private static SubjectRevoked laterCutoff(SubjectRevoked a, SubjectRevoked b) {
        return a.cutoff().isAfter(b.cutoff()) ? a : b;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
