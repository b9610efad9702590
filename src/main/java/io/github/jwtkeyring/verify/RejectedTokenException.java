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

    /**
     * {@code value}, read from a token before its signature was checked, as it may appear in a reason: quoted if it is
     * up to 64 printable ASCII characters, otherwise only its length, so that no one can write lines into the log.
     */
    public static String quote(String value) {
        if (value == null) {
            return "(none)";
        }
        if (value.length() <= 64 && value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return "'" + value + "'";
        }
        return "(" + value.length() + " characters, not shown)";
    }
}
