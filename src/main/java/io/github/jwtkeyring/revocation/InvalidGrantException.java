package io.github.jwtkeyring.revocation;

import io.github.jwtkeyring.keys.KeyringException;

/**
 * A refresh token was refused: unknown, expired, superseded (reused), or of a revoked family or subject. Clients see
 * only {@code invalid_grant} (RFC 6749 §5.2); the message, for debug logs, says which and never contains the token.
 */
public final class InvalidGrantException extends KeyringException {

    private static final long serialVersionUID = 1L;

    public InvalidGrantException(String message) {
        super(message);
    }
}
