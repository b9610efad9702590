package io.github.jwtkeyring.verify;

import io.github.jwtkeyring.keys.KeyringException;

/**
 * A token was rejected. The message says why, for debug logs; clients only ever see the same 401.
 */
public final class RejectedTokenException extends KeyringException {

    private static final long serialVersionUID = 1L;

    public RejectedTokenException(String reason, Throwable cause) {
        super("Token rejected: " + reason, cause);
    }
}
