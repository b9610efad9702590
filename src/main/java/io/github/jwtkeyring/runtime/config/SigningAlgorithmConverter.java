package io.github.jwtkeyring.runtime.config;

import org.eclipse.microprofile.config.spi.Converter;

import io.github.jwtkeyring.keys.SigningAlgorithm;

/**
 * Reads {@code keyring.algorithm} by its JOSE name, case-insensitively ({@code ES256}, {@code EdDSA}, {@code hs256}),
 * where the default enum conversion would turn {@code EdDSA} into {@code ed-dsa} and refuse it.
 */
public class SigningAlgorithmConverter implements Converter<SigningAlgorithm> {

    private static final long serialVersionUID = 1L;

    @Override
    public SigningAlgorithm convert(String value) {
        return SigningAlgorithm.fromJoseName(value.trim());
    }
}
