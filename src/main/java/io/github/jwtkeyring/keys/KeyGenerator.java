package io.github.jwtkeyring.keys;

/**
 * Makes fresh key material for an algorithm. One method, so that a store that must create keys itself (an HSM
 * generating keys on its token) can supply its own.
 */
@FunctionalInterface
public interface KeyGenerator {

    /** Generates new material for {@code algorithm}; never returns {@code null}. */
    KeyMaterial generate(SigningAlgorithm algorithm);
}
