package io.github.jwtkeyring.runtime.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
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
    @WithConverter(SigningAlgorithmConverter.class)
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

    /** Refresh tokens. */
    Refresh refresh();

    /** Revocation of access tokens and refresh-token families. */
    Revocation revocation();

    /** HMAC keys: stored at random, or derived per period from a master secret. */
    Hmac hmac();

    /** Re-issuing access tokens that verified with a key that no longer signs. */
    Reissue reissue();

    /**
     * The key-encryption key (KEK) of the {@code jdbc} store: base64 of 32 random bytes, typically from the environment
     * variable {@code KEYRING_KEK}. Key material is encrypted with it (AES-256-GCM) before it reaches the database.
     * Alternatively, {@code keyring.kek-keystore.*} names a PKCS#12 entry that holds it.
     */
    Optional<String> kek();

    /**
     * Earlier KEKs (base64, comma-separated) during a KEK rotation: they only decrypt material that has not been
     * re-wrapped under {@code keyring.kek} yet, which happens in the background within one reload interval. Remove
     * them once the log says every key was re-wrapped.
     */
    Optional<List<String>> kekPrevious();

    /** A PKCS#12 keystore that holds the KEK, as an alternative to {@code keyring.kek}. */
    KekKeystore kekKeystore();

    /** Verification. */
    Verify verify();

    /** Verification. */
    interface Verify {

        /** The verified-token cache. */
        Cache cache();

        /**
         * Remembers tokens that passed full verification (by the SHA-256 of the whole token, until its {@code exp}),
         * so that a token used again is not verified again while its key still verifies. Revocation checks run on
         * every request regardless.
         */
        interface Cache {

            /** Whether verified tokens are remembered. */
            @WithDefault("true")
            boolean enabled();

            /** The most tokens remembered at once; the least used go first. */
            @WithDefault("10000")
            long maxSize();
        }
    }

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
         * The store: {@code pkcs12}, an encrypted PKCS#12 file (the embedded default); {@code jdbc}, PostgreSQL
         * through the default Quarkus datasource ({@code quarkus.datasource.jdbc.url}), shared by every node of a
         * cluster; or {@code memory}, which forgets every key when the process ends (for tests).
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

        /**
         * The token ledger journal (revocations and refresh-token families) of the {@code pkcs12} store. Defaults to
         * the keystore path with {@code .journal} appended, e.g. {@code keyring.p12.journal}; same file system
         * requirements as the keystore.
         */
        Optional<Path> journalPath();

        /**
         * With the {@code jdbc} store, how often each node reloads the ring and the token ledger from the database, as
         * a fallback to the immediate LISTEN/NOTIFY propagation; shorter than {@code keyring.rotation.publish-ahead}.
         * A key signs only once it has been stored this long, so every node knows it first.
         */
        @WithDefault("PT30S")
        Duration reloadInterval();
    }

    /** A PKCS#12 keystore holding the KEK. */
    interface KekKeystore {

        /** The PKCS#12 file. */
        Optional<Path> path();

        /** Its password, typically from {@code KEYRING_KEK_KEYSTORE_PASSWORD}. */
        Optional<String> password();

        /** The alias of the current KEK, a 256-bit secret key entry. */
        @WithDefault("jwt-keyring-kek")
        String alias();

        /** Aliases of earlier KEKs during a KEK rotation. */
        Optional<List<String>> previousAliases();
    }

    /** Refresh tokens. */
    interface Refresh {

        /**
         * How long each refresh token can be exchanged; every refresh issues a new one with this lifetime. Longer than
         * {@code keyring.token.lifetime}.
         */
        @WithDefault("PT8H")
        Duration lifetime();
    }

    /** Revocation. */
    interface Revocation {

        /**
         * How often entries that can no longer reject anything (their tokens have expired) are forgotten.
         */
        @WithDefault("PT1M")
        Duration pruneInterval();
    }

    /** HMAC keys, used when {@code keyring.algorithm} is HS256, HS384 or HS512. */
    interface Hmac {

        /**
         * {@code stored}: random HMAC keys kept in the ring like any other key (the default). {@code derived}: the key
         * of each rotation period ({@code keyring.rotation.period}) is derived from a master secret with HKDF (RFC
         * 5869), so every node with the master has the same keys without shared storage. A leaked master exposes
         * every period's key; asymmetric keys remain the recommended default.
         */
        @WithDefault("stored")
        HmacMode mode();

        /**
         * The master secret of {@code derived} mode, base64 (standard or URL-safe) of at least 32 random bytes,
         * typically from the environment variable {@code KEYRING_HMAC_MASTER_SECRET}. When unset, the master is read
         * from the entry {@code keyring.hmac.master-alias} of the PKCS#12 keystore {@code keyring.store.path}.
         */
        Optional<String> masterSecret();

        /**
         * The alias of the master secret's entry in the PKCS#12 keystore, when {@code keyring.hmac.master-secret} is
         * unset.
         */
        @WithDefault("jwt-keyring-hmac-master")
        String masterAlias();

        /**
         * In {@code derived} mode, how many periods before the current one still verify; at least 1, and enough
         * periods to cover {@code keyring.token.lifetime} plus the clock skew.
         */
        @WithDefault("1")
        int acceptPrevious();
    }

    /** How HMAC keys come about. */
    enum HmacMode {
        /** Random keys kept in the ring. */
        STORED,
        /** Keys derived per period from a master secret. */
        DERIVED
    }

    /** Re-issuing tokens on an old key. */
    interface Reissue {

        /**
         * When a request's access token verified with a key that no longer signs (a RETIRED key, or a previous HMAC
         * period), answer with a fresh access token for the same subject and groups in the response header
         * {@code Keyring-Reissued-Token}.
         */
        @WithDefault("false")
        boolean enabled();
    }

    /** The kinds of key ring store. */
    enum StoreType {
        /** An encrypted PKCS#12 file. */
        PKCS12,
        /** Memory only, for tests. */
        MEMORY,
        /** PostgreSQL, shared by the nodes of a cluster. */
        JDBC
    }
}
