package io.github.jwtkeyring.keys;

/**
 * A key was asked to move to a state its lifecycle does not allow, e.g. from DESTROYED back to ACTIVE.
 */
public final class IllegalKeyTransitionException extends KeyringException {

    private static final long serialVersionUID = 1L;
    private final String kid;
    private final KeyState from;
    private final KeyState to;

    public IllegalKeyTransitionException(String kid, KeyState from, KeyState to) {
        super("Key '" + kid + "' cannot move from " + from + " to " + to + ".");
        this.kid = kid;
        this.from = from;
        this.to = to;
    }

    /** The key id. */
    public String kid() {
        return kid;
    }

    /** The state the key is in. */
    public KeyState from() {
        return from;
    }

    /** The state that was refused. */
    public KeyState to() {
        return to;
    }
}
