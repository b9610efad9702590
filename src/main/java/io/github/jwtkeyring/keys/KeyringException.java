package io.github.jwtkeyring.keys;

/**
 * The root of every exception JWT Keyring throws. Unchecked; subtypes carry the key id or state they are about.
 * <p>
 * Messages are whole sentences that may name a key id but never contain key material.
 */
public class KeyringException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KeyringException(String message) {
        super(message);
    }

    public KeyringException(String message, Throwable cause) {
        super(message, cause);
    }
}
