package io.github.jwtkeyring.runtime.config;

import java.time.Duration;
import java.util.Optional;

import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * JWT Keyring's configuration, under the prefix {@code keyring}. Each storage technology has a group of its own under
 * {@code keyring.store.<type>}, mapped in its own package. {@link KeyringSettings} turns all of it into domain values
 * at startup and reports every problem at once.
 */
@ConfigMapping(prefix = "keyring")
public interface KeyringConfig {

    /**
     * The {@code iss} claim of every token issued, and the issuer whose tokens the key ring verifies.
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

    /** Where the key ring and the token ledger are kept. */
    Store store();

    /** Refresh tokens. */
    Refresh refresh();

    /** Revocation of access tokens and refresh-token families. */
    Revocation revocation();

    /** HMAC keys: stored at random, or derived per period from a master secret. */
    Hmac hmac();

    /** Re-issuing access tokens that verified with a key that no longer signs. */
    Reissue reissue();

    /** Verification. */
    Verify verify();

    /** {@code POST /auth/login}. */
    Login login();

    /**
     * The HTTP endpoints the module adds to the application, each group switched on or off <b>at build time</b>
     * (setting them at runtime has no effect).
     */
    Endpoints endpoints();

    /** Key rotation. */
    interface Rotation {

        /** How long a key signs before the next one takes over. */
        @WithDefault("P1D")
        Duration period();

        /**
         * How long the next key is published in the JWKS before it signs; shorter than the period. The JWKS
         * {@code max-age} is half of it.
         */
        @WithDefault("PT1H")
        Duration publishAhead();

        /** How often the schedule is checked for due transitions; shorter than the publish-ahead time. */
        @WithDefault("10s")
        Duration checkInterval();
    }

    /** Access tokens. */
    interface Token {

        /** The lifetime of access tokens. */
        @WithDefault("PT5M")
        Duration lifetime();

        /** The clock difference tolerated when checking {@code exp} and {@code iat}, and added to each retire window. */
        @WithDefault("PT60S")
        Duration clockSkew();
    }

    /** Where the key ring and the token ledger are kept. */
    interface Store {

        /**
         * The storage technology: {@code pkcs12}, an encrypted PKCS#12 file (the embedded default, settings under
         * {@code keyring.store.pkcs12.*}); {@code jdbc}, PostgreSQL shared by every node of a cluster (settings under
         * {@code keyring.store.jdbc.*}, needs {@code io.quarkus:quarkus-jdbc-postgresql}); or {@code memory}, which
         * forgets everything when the process ends (the default of the test profile).
         */
        @WithDefault("pkcs12")
        String type();
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

        /** How often entries that can no longer reject anything (their tokens have expired) are forgotten. */
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
         * typically from the environment variable {@code KEYRING_HMAC_MASTER_SECRET}. When unset, the storage is asked
         * for the secret {@code keyring.hmac.master-alias} (a secret entry of the PKCS#12 keystore).
         */
        Optional<String> masterSecret();

        /** The alias of the master secret's entry in the PKCS#12 keystore, when {@code master-secret} is unset. */
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

    /** Verification. */
    interface Verify {

        /** The verified-token cache. */
        Cache cache();

        /**
         * The longest bearer token read at all, in bytes (tokens are ASCII): a longer one gets the uniform 401 before
         * anything of it is decoded or hashed. It applies to the tokens of every issuer, including those handed to
         * SmallRye JWT with {@code other-issuers=delegate}. At least 512.
         */
        @WithDefault("8192")
        int maxTokenBytes();

        /**
         * What happens to bearer tokens whose {@code iss} is not {@code keyring.issuer}: {@code reject} (the default)
         * answers them with the same 401 as any other rejected token; {@code delegate} hands them to SmallRye JWT's
         * own verification, configured by the application with {@code mp.jwt.verify.*} (for example a second issuer's
         * public key or JWKS). Tokens with the ring's issuer are verified by the ring only, in either mode.
         */
        @WithDefault("reject")
        OtherIssuers otherIssuers();

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

    /** {@code POST /auth/login}. */
    interface Login {

        /**
         * Backing off password guessing: failed logins per account and per client address, counted in memory on each
         * node; while a limit is reached, logins for that account or from that address answer 429 with
         * {@code Retry-After}, before any password is checked.
         */
        Throttle throttle();

        /** The limits. */
        interface Throttle {

            /** Whether failed logins are throttled at all. */
            @WithDefault("true")
            boolean enabled();

            /** Failed logins one account may have per {@code account-period}; at least 1. */
            @WithDefault("10")
            int accountFailures();

            /** The period of {@code account-failures}; the bucket refills steadily over it. */
            @WithDefault("PT1M")
            Duration accountPeriod();

            /** Failed logins one client address may have per {@code address-period}; at least 1. */
            @WithDefault("30")
            int addressFailures();

            /** The period of {@code address-failures}. */
            @WithDefault("PT1M")
            Duration addressPeriod();
        }
    }

    /** Bearer tokens of issuers other than {@code keyring.issuer}. */
    enum OtherIssuers {
        /** Rejected with the uniform 401. */
        REJECT,
        /** Verified by SmallRye JWT's own {@code mp.jwt.verify.*} configuration. */
        DELEGATE
    }

    /** The endpoint groups; read at build time. */
    interface Endpoints {

        /** {@code POST /auth/login}, {@code /auth/refresh}, {@code /auth/logout} and {@code /auth/logout-all}. */
        Group token();

        /** {@code GET /.well-known/jwks.json}. */
        Group jwks();

        /**
         * Key administration ({@code /admin/keys/*}) and token revocation ({@code /admin/subjects/*},
         * {@code /admin/tokens/*}).
         */
        Group admin();

        /**
         * The demo service's {@code /api/me}, {@code /api/admin} and {@code /api/public}: off unless set to
         * {@code true}, and only in the service built from the JWT Keyring repository (the published jar has no demo
         * endpoints).
         */
        DemoGroup demo();

        /** A group of endpoints. */
        interface Group {

            /** Whether the group is built into the application (build time). */
            @WithDefault("true")
            boolean enabled();
        }

        /** The demo group. */
        interface DemoGroup {

            /** Whether the demo endpoints are built into the service (build time). */
            @WithDefault("false")
            boolean enabled();
        }
    }
}
