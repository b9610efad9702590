package io.github.jwtkeyring.revocation;

import java.time.Instant;
import java.util.Objects;

/**
 * One change of the {@link TokenLedger}, as a {@link LedgerJournal} records it. Every event is an upsert of one entry,
 * so replaying a journal in order rebuilds the ledger, and a snapshot is simply one event per live entry.
 */
public sealed interface LedgerEvent {

    /** When the ledger may forget the entry. */
    Instant keepUntil();

    /**
     * The access token {@code jti} is revoked.
     *
     * @param jti the token id
     * @param keepUntil the token's expiry plus the clock skew
     */
    record TokenRevoked(String jti, Instant keepUntil) implements LedgerEvent {
        public TokenRevoked {
            Objects.requireNonNull(jti, "jti");
            Objects.requireNonNull(keepUntil, "keepUntil");
        }
    }

    /**
     * Every token of {@code subject} issued at or before {@code cutoff} is revoked.
     *
     * @param subject the subject
     * @param cutoff the instant of the revocation
     * @param keepUntil when no token or refresh family from before the cutoff can be valid any more
     */
    record SubjectRevoked(String subject, Instant cutoff, Instant keepUntil) implements LedgerEvent {
        public SubjectRevoked {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(cutoff, "cutoff");
            Objects.requireNonNull(keepUntil, "keepUntil");
        }
    }

    /**
     * The state of a refresh-token family.
     *
     * @param family the family as it is now
     */
    record FamilyRecorded(RefreshFamily family) implements LedgerEvent {
        public FamilyRecorded {
            Objects.requireNonNull(family, "family");
        }

        @Override
        public Instant keepUntil() {
            return family.keepUntil();
        }
    }

    /**
     * A refresh token was issued; only its SHA-256 hash is recorded.
     *
     * @param hash the base64url SHA-256 hash of the token
     * @param familyId its family
     * @param generation its place in the family, 0 for the token issued at login
     * @param keepUntil when it expires
     */
    record RefreshTokenRecorded(String hash, String familyId, int generation, Instant keepUntil)
            implements
                LedgerEvent {
        public RefreshTokenRecorded {
            Objects.requireNonNull(hash, "hash");
            Objects.requireNonNull(familyId, "familyId");
            Objects.requireNonNull(keepUntil, "keepUntil");
        }
    }
}
