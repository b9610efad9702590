package io.github.jwtkeyring.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * JWT Keyring's configuration, under the prefix {@code keyring}.
 */
@ConfigMapping(prefix = "keyring")
public interface KeyringConfig {

    /**
     * The {@code iss} claim of every token issued, and the only issuer whose tokens are accepted.
     */
    @WithDefault("jwt-keyring")
    String issuer();

    /**
     * The {@code aud} claim of every token issued, and the audience a token must name to be accepted.
     */
    @WithDefault("jwt-keyring")
    String audience();

    /**
     * The algorithm of new keys: {@code ES256}, {@code RS256}, {@code PS256}, {@code EdDSA}, {@code HS256},
     * {@code HS384} or {@code HS512}. Changing it takes effect with the next key; existing keys keep their own.
     */
    @WithDefault("ES256")
    SigningAlgorithm algorithm();

    /**
     * The modulus size of new RSA keys (RS256, PS256), in bits; at least 2048.
     */
    @WithDefault("2048")
    int rsaKeyBits();

    /** Key rotation. */
    Rotation rotation();

    /** Access tokens. */
    Token token();

    /** Where the key ring is kept. */
    Store store();

    /** Key rotation. */
    interface Rotation {

        /**
         * How long a key signs before the next one takes over.
         */
        @WithDefault("P1D")
        Duration period();

        /**
         * How long the next key is published in the JWKS before it signs; shorter than the period. The JWKS
         * {@code max-age} is half of it.
         */
        @WithDefault("PT1H")
        Duration publishAhead();

        /**
         * How often the schedule is checked for due transitions; shorter than the publish-ahead time.
         */
        @WithDefault("10s")
        Duration checkInterval();
    }

    /** Access tokens. */
    interface Token {

        /**
         * The lifetime of access tokens.
         */
        @WithDefault("PT5M")
        Duration lifetime();

        /**
         * The clock difference tolerated when checking {@code exp} and {@code iat}, and added to each retire window.
         */
        @WithDefault("PT60S")
        Duration clockSkew();
    }

    /** Where the key ring is kept. */
    interface Store {

        /**
         * The store: {@code pkcs12}, an encrypted PKCS#12 file (the embedded default), or {@code memory}, which
         * forgets every key when the process ends (for tests).
         */
        @WithDefault("pkcs12")
        StoreType type();

        /**
         * The PKCS#12 file. Its directory must be on a local file system that can rename files atomically.
         */
        @WithDefault("keyring.p12")
        Path path();

        /**
         * The PKCS#12 password, typically from the environment variable {@code KEYRING_STORE_PASSWORD}. Required in
         * production; in dev and test mode a generated password is kept in a file beside the keystore.
         */
        Optional<String> password();
    }

    /** The kinds of key ring store. */
    enum StoreType {
        /** An encrypted PKCS#12 file. */
        PKCS12,
        /** Memory only, for tests. */
        MEMORY
    }
}
