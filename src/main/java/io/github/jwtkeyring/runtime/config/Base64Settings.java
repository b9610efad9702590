package io.github.jwtkeyring.runtime.config;

import java.util.Base64;

import io.github.jwtkeyring.keys.KeyringException;

/**
 * Secrets configured as base64, standard or URL-safe.
 */
public final class Base64Settings {

    private Base64Settings() {
    }

    /**
     * @throws KeyringException naming {@code key} (never the value) if {@code value} is not base64
     */
    public static byte[] decode(String value, String key) {
        String trimmed = value.trim();
        try {
            return trimmed.indexOf('-') >= 0 || trimmed.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(trimmed)
                    : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new KeyringException(key + " is not valid base64.");
        }
    }
}
