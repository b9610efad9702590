package io.github.jwtkeyring.keys;

/**
 * A key could not sign: its provider refused, typically because the device holding it (a PKCS#11 token) cannot be
 * reached or its session broke. Callers answer 503 and retry later; verification is not affected.
 */
public class SigningFailedException extends KeyringException {

    private static final long serialVersionUID = 1L;

    public SigningFailedException(SigningAlgorithm algorithm, Throwable cause) {
        super("An " + algorithm + " signature could not be computed: " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")") + ".", cause);
    }
}
