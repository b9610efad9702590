package io.github.jwtkeyring.keys;

/**
 * An administrative key operation that the configured kind of key ring cannot carry out, e.g. revoking one derived HMAC
 * period key.
 */
public final class UnsupportedKeyOperationException extends KeyringException {

    private static final long serialVersionUID = 1L;

    public UnsupportedKeyOperationException(String message) {
        super(message);
    }
}
