package io.github.jwtkeyring.issue;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.revocation.InvalidGrantException;
import io.github.jwtkeyring.revocation.InvalidGrantException.Reason;
import io.github.jwtkeyring.revocation.LedgerEvent;
import io.github.jwtkeyring.revocation.LedgerEvent.FamilyRecorded;
import io.github.jwtkeyring.revocation.LedgerEvent.RefreshTokenRecorded;
import io.github.jwtkeyring.revocation.LedgerSettings;
import io.github.jwtkeyring.revocation.RefreshFamily;
import io.github.jwtkeyring.revocation.TokenLedger;

/**
 * The refresh-token state machine: a family begins at login with generation 0, each exchange of its newest token
 * moves it to the next generation, and presenting an older generation again revokes the whole family, because either
 * the client or a thief holds a copy (RFC 9700 §4.14.2). Logging out revokes the access token and its family together.
 * <p>
 * Every decision is taken and recorded inside {@link TokenLedger#atomically}, so of concurrent exchanges of the same
 * token exactly one succeeds, on one node or, through a shared journal, across a cluster.
 */
public final class RefreshFamilies {

    private static final Logger LOG = Logger.getLogger(RefreshFamilies.class);

    private final TokenLedger ledger;
    private final InstantSource clock;
    private final LedgerSettings settings;

    public RefreshFamilies(TokenLedger ledger, InstantSource clock, LedgerSettings settings) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Begins a refresh family with its first token.
     *
     * @param familyId a new, random family id
     * @param tokenHash the hash of the first refresh token
     * @throws io.github.jwtkeyring.keys.StoreException if the ledger cannot record it
     */
    public RefreshFamily start(String familyId, String subject, Set<String> groups, String tokenHash) {
        return start(familyId, subject, groups, tokenHash, family -> family);
    }

    /**
     * Begins a refresh family with its first token, and meanwhile, while the ledger makes it durable, runs
     * {@code meanwhile} with it (signing the first access token, so that the CPU works while the disk flushes).
     *
     * @return what {@code meanwhile} returned, once the family is durable
     * @throws io.github.jwtkeyring.keys.StoreException if the ledger cannot record it
     */
    public <T> T start(String familyId, String subject, Set<String> groups, String tokenHash,
            Function<RefreshFamily, T> meanwhile) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(settings.refreshLifetime());
        RefreshFamily family = new RefreshFamily(familyId, subject, groups, now, 0, expiresAt, null, expiresAt);
        return ledger.record(List.of(new FamilyRecorded(family), new RefreshTokenRecorded(tokenHash, familyId, 0,
                expiresAt)), () -> meanwhile.apply(family));
    }

    /**
     * The family of a presented refresh token, read without changing anything (no reuse is recorded here; the
     * exchange checks everything again).
     *
     * @throws InvalidGrantException if the token or its family is unknown
     */
    public RefreshFamily familyOf(String presentedHash) {
        return ledger.refreshToken(presentedHash).flatMap(token -> ledger.family(token.familyId()))
                .orElseThrow(() -> new InvalidGrantException(Reason.UNKNOWN, "The refresh token is unknown."));
    }

    /**
     * Exchanges the refresh token whose hash is {@code presentedHash} for the next one of its family.
     *
     * @param nextHash the hash of the refresh token that replaces it
     * @return the family after the exchange
     * @throws InvalidGrantException if the token is unknown, expired, superseded or revoked
     */
    public RefreshFamily exchange(String presentedHash, String nextHash) {
        return ledger.atomically(() -> {
            Instant now = clock.instant();
            RefreshFamily family = exchangeable(presentedHash, now);
            int next = family.generation() + 1;
            RefreshFamily rotated = family.rotated(next, now.plus(settings.refreshLifetime()));
            ledger.record(List.of(new FamilyRecorded(rotated),
                    new RefreshTokenRecorded(nextHash, family.id(), next, rotated.expiresAt())));
            return rotated;
        });
    }

    private RefreshFamily exchangeable(String presentedHash, Instant now) {
        RefreshTokenRecorded token = ledger.refreshToken(presentedHash)
                .orElseThrow(() -> new InvalidGrantException(Reason.UNKNOWN, "The refresh token is unknown."));
        if (!now.isBefore(token.keepUntil())) {
            throw new InvalidGrantException(Reason.EXPIRED,
                    "The refresh token of family '" + token.familyId() + "' has expired.");
        }
        RefreshFamily family = ledger.family(token.familyId()).filter(f -> !f.revoked())
                .orElseThrow(() -> new InvalidGrantException(Reason.REVOKED,
                        "The refresh family '" + token.familyId() + "' is revoked."));
        Optional<Instant> cutoff = ledger.subjectCutoff(family.subject());
        if (cutoff.isPresent() && !family.created().isAfter(cutoff.get())) {
            throw new InvalidGrantException(Reason.REVOKED, "Every refresh family of the subject of family '" + family.id()
                    + "' begun until " + cutoff.get() + " is revoked.");
        }
        if (token.generation() != family.generation()) {
            ledger.record(List.of(revocationOf(family)));
            LOG.warnf("Refresh token of generation %d of family '%s' (subject '%s') was used again after generation "
                    + "%d replaced it: the family is revoked as stolen.", token.generation(), family.id(),
                    family.subject(), family.generation());
            throw new InvalidGrantException(Reason.REUSED, "A superseded refresh token of family '" + family.id()
                    + "' was reused; the family is revoked.", family);
        }
        return family;
    }

    /** Revokes the refresh family {@code familyId} and the access tokens it produced; unknown ids are ignored. */
    public void revoke(String familyId) {
        ledger.atomically(() -> {
            List<LedgerEvent> revocation = revocationOf(familyId);
            if (!revocation.isEmpty()) {
                ledger.record(revocation);
            }
            return null;
        });
    }

    /**
     * Logs out: revokes the access token {@code jti} and, if it came from one, its refresh family, in one durable
     * step.
     *
     * @param sessionId the token's {@code sid}, or {@code null}
     */
    public void logout(String jti, Instant expiresAt, String sessionId) {
        ledger.atomically(() -> {
            ledger.revokeToken(jti, Optional.of(expiresAt),
                    sessionId == null ? List.of() : revocationOf(sessionId));
            return null;
        });
    }

    /** The family {@code familyId}, if the ledger still knows it. */
    public Optional<RefreshFamily> family(String familyId) {
        return ledger.family(familyId);
    }

    /** The event that revokes the known, unrevoked family {@code familyId}; none otherwise. */
    private List<LedgerEvent> revocationOf(String familyId) {
        return ledger.family(familyId).filter(f -> !f.revoked()).map(f -> List.<LedgerEvent> of(revocationOf(f)))
                .orElse(List.of());
    }

    /** The family revoked now, kept as long as the access tokens it produced could live. */
    private FamilyRecorded revocationOf(RefreshFamily family) {
        Instant now = clock.instant();
        return new FamilyRecorded(
                family.revoked(now, now.plus(settings.longestAccessLifetime().get()).plus(settings.clockSkew())));
    }
}
