package io.github.jwtkeyring.revocation;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * The chain of refresh tokens that began with one login (a "session"): only its newest token (the current
 * {@code generation}) may be exchanged. Its id is the {@code sid} claim of every access token it produced.
 *
 * @param id the family id, also the {@code sid} claim of its access tokens
 * @param subject the subject the family issues tokens for
 * @param groups the groups of its access tokens, as at login
 * @param created when the family began (the login)
 * @param generation the generation of the newest refresh token, 0 for the one issued at login
 * @param expiresAt when the newest refresh token expires
 * @param revokedAt when the family was revoked, {@code null} while it is valid
 * @param keepUntil when the ledger may forget the family
 */
public record RefreshFamily(String id, String subject, Set<String> groups, Instant created, int generation,
        Instant expiresAt, Instant revokedAt, Instant keepUntil) {

    public RefreshFamily {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(subject, "subject");
        groups = Set.copyOf(groups);
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(keepUntil, "keepUntil");
    }

    /** Whether the family has been revoked. */
    public boolean revoked() {
        return revokedAt != null;
    }

    /** The family after its refresh token was exchanged for generation {@code next}. */
    public RefreshFamily rotated(int next, Instant newExpiry) {
        return new RefreshFamily(id, subject, groups, created, next, newExpiry, null, newExpiry);
    }

    /** The family revoked at {@code instant}, kept until {@code until} so that its access tokens stay rejected. */
    public RefreshFamily revoked(Instant instant, Instant until) {
        return new RefreshFamily(id, subject, groups, created, generation, expiresAt, instant, until);
    }
}
