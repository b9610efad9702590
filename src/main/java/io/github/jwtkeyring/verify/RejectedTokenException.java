package io.github.jwtkeyring.verify;

import io.github.jwtkeyring.keys.KeyringException;

/**
 * A token was rejected. The message says why, for debug logs; clients only ever see the same 401.
 */
public final class RejectedTokenException extends KeyringException {

    private static final long serialVersionUID = 1L;

    /** Why a token was rejected: a small fixed set of classes, for metrics; the message has the details. */
    public enum Reason {
        /** Not a well-formed compact JWS, too long, or with headers this module does not accept. */
        MALFORMED,
        /** Its kid names no key that verifies now, or a key of another algorithm. */
        UNKNOWN_KEY,
        /** The signature does not verify. */
        SIGNATURE,
        /** Expired, not valid yet, or issued in the future. */
        EXPIRED,
        /** A claim or the type is wrong: issuer, audience, a required claim, or a time outside its key's window. */
        CLAIMS,
        /** Revoked: the token, its session or its subject. */
        REVOKED,
        /** Issued by another issuer, and rejected by SmallRye JWT's own verification or by policy. */
        OTHER_ISSUER
    }

    private final Reason reason;

    public RejectedTokenException(Reason reason, String message, Throwable cause) {
        super("Token rejected: " + message, cause);
        this.reason = reason;
    }

    /** The class of the rejection. */
    public Reason reason() {
        return reason;
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
