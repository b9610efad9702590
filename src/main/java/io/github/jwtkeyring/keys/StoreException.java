package io.github.jwtkeyring.keys;

/**
 * A key ring store could not be read or written.
 */
public class StoreException extends KeyringException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
