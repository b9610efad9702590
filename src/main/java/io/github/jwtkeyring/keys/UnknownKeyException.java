package io.github.jwtkeyring.keys;

/**
 * No key with the given id exists in the ring.
 */
public final class UnknownKeyException extends KeyringException {

    private static final long serialVersionUID = 1L;
    private final String kid;

    public UnknownKeyException(String kid) {
        super("No key with kid '" + kid + "' exists in the key ring.");
        this.kid = kid;
    }

    /** The key id that was asked for. */
    public String kid() {
        return kid;
    }
}
