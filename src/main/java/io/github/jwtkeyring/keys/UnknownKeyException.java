package io.github.jwtkeyring.keys;

/**
 * No key with the given id exists in the ring.
 */
public final class UnknownKeyException extends KeyringException {

    private static final long serialVersionUID = 1L;
    private final String kid;

    public UnknownKeyException(String kid) {
        super("No key with kid '" + shown(kid) + "' exists in the key ring.");
        this.kid = kid;
    }

    /** The kid as messages show it: what a client sent, so at most 64 characters of it. */
    private static String shown(String kid) {
        return kid == null || kid.length() <= 64 ? String.valueOf(kid)
                : kid.substring(0, 64) + "… (" + kid.length() + " characters)";
    }

    /** The key id that was asked for. */
    public String kid() {
        return kid;
    }
}
