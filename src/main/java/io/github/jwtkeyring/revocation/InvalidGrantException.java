package io.github.jwtkeyring.revocation;

import java.util.Objects;
import java.util.Optional;

import io.github.jwtkeyring.keys.KeyringException;

/**
 * A refresh token was refused: unknown, expired, superseded (reused), or of a revoked family or subject. Clients see
 * only {@code invalid_grant} (RFC 6749 §5.2); the message, for debug logs, says which and never contains the token.
 */
public final class InvalidGrantException extends KeyringException {

    private static final long serialVersionUID = 1L;

    /** Why a refresh token was refused: a small fixed set, for metrics and the audit trail. */
    public enum Reason {
        /** Not a token this server issued, or one the ledger no longer knows. */
        UNKNOWN,
        /** Past its family's lifetime. */
        EXPIRED,
        /** Its family, or every family of its subject, was revoked. */
        REVOKED,
        /** A superseded token presented again: the family is revoked now, as stolen. */
        REUSED
    }

    private final Reason reason;
    private final transient RefreshFamily family;

    /** A refusal for {@code reason}. */
    public InvalidGrantException(Reason reason, String message) {
        this(reason, message, null);
    }

    /**
     * A refusal for {@code reason} that concerns {@code family} (for a reuse, the family revoked because of it).
     */
    public InvalidGrantException(Reason reason, String message, RefreshFamily family) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.family = family;
    }

    /** Why the token was refused. */
    public Reason reason() {
        return reason;
    }

    /** The family concerned, when it is known: its subject and id, never a token. */
    public Optional<RefreshFamily> family() {
        return Optional.ofNullable(family);
    }
}
