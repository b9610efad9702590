package io.github.jwtkeyring.runtime.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

import io.github.jwtkeyring.issue.IssuerSettings;
import io.github.jwtkeyring.issue.TokenIssuer;
import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.rotation.DerivedHmacKeyRingManager;
import io.github.jwtkeyring.rotation.RotationPolicy;
import io.github.jwtkeyring.verify.VerificationPolicy;

/**
 * The one place where {@code keyring.*} configuration becomes domain values. Everything is checked together, so that
 * startup names every problem at once ({@link ConfigProblems}); the core packages never read configuration.
 * <p>
 * Holds no secret: the derived-HMAC master is only checked here, and read where the key ring is built.
 *
 * @param storeType the chosen storage technology ({@code keyring.store.type})
 * @param rotation how keys rotate
 * @param checkInterval how often due transitions are applied
 * @param issuer the fixed parts of issued tokens
 * @param verification what an accepted token must satisfy
 * @param cacheSize the most verified tokens remembered; 0 turns the cache off
 * @param refreshLifetime the lifetime of refresh tokens
 * @param pruneInterval how often expired ledger entries are forgotten
 * @param rsaKeyBits the modulus of new RSA keys
 * @param derivedHmac derived HMAC keys, if {@code keyring.hmac.mode=derived}
 * @param reissue whether tokens on a key that no longer signs are answered with a fresh one
 * @param otherIssuers what happens to tokens of other issuers
 * @param loginThrottle the limits of failed logins, if they are throttled
 */
public record KeyringSettings(String storeType, RotationPolicy rotation, Duration checkInterval, IssuerSettings issuer,
        VerificationPolicy verification, long cacheSize, Duration refreshLifetime, Duration pruneInterval,
        int rsaKeyBits, Optional<DerivedHmac> derivedHmac, boolean reissue, KeyringConfig.OtherIssuers otherIssuers,
        Optional<LoginLimits> loginThrottle) {

    /**
     * The limits of failed logins.
     *
     * @param accountFailures failed logins per account and {@code accountPeriod}
     * @param accountPeriod the account limit's period
     * @param addressFailures failed logins per client address and {@code addressPeriod}
     * @param addressPeriod the address limit's period
     */
    public record LoginLimits(int accountFailures, Duration accountPeriod, int addressFailures,
            Duration addressPeriod) {
    }

    /**
     * Derived HMAC keys.
     *
     * @param acceptPrevious how many earlier periods still verify
     * @param masterAlias the storage secret that holds the master when {@code keyring.hmac.master-secret} is unset
     */
    public record DerivedHmac(int acceptPrevious, String masterAlias) {
    }

    /** The shortest interval of the periodic tasks: anything shorter would keep a thread busy for no benefit. */
    static final Duration SHORTEST_INTERVAL = Duration.ofSeconds(1);

    /** The smallest {@code keyring.verify.max-token-bytes}: an access token of the ring takes about 400 to 1,200 bytes. */
    static final int MIN_TOKEN_BYTES = 512;

    /**
     * Checks {@code config} as a whole and turns it into settings.
     *
     * @param storeTypes the storage technologies available, for the message about an unknown one
     * @param propagation the chosen storage's propagation time (zero for one node)
     * @param problems receives every problem; the caller throws them all at once
     * @return the settings, meaningful only if {@code problems} stayed empty
     */
    public static KeyringSettings from(KeyringConfig config, Collection<String> storeTypes, Duration propagation,
            ConfigProblems problems) {
        String storeType = config.store().type().trim().toLowerCase(Locale.ROOT);
        if (!storeTypes.contains(storeType)) {
            problems.add("keyring.store.type", "'" + config.store().type() + "' is not a storage technology of this "
                    + "application; valid: " + String.join(", ", new TreeSet<>(storeTypes))
                    + (storeType.equals("jdbc") ? " (jdbc needs the dependency io.quarkus:quarkus-jdbc-postgresql)" : "")
                    + ".");
        }
        SigningAlgorithm algorithm = config.algorithm();
        Duration lifetime = positive(problems, "keyring.token.lifetime", config.token().lifetime());
        Duration skew = config.token().clockSkew();
        if (skew.isNegative()) {
            problems.add("keyring.token.clock-skew", "must not be negative; it is " + skew + ".");
            skew = Duration.ZERO;
        }
        Optional<DerivedHmac> derived = derivedHmac(config, problems);
        RotationPolicy rotation = rotation(config, derived.isPresent(), lifetime, skew, propagation, problems);
        Duration checkInterval = interval(problems, "keyring.rotation.check-interval", config.rotation()
                .checkInterval());
        if (rotation != null && checkInterval.compareTo(rotation.publishAhead()) >= 0) {
            problems.add("keyring.rotation.check-interval", "(" + checkInterval + ") must be shorter than "
                    + "keyring.rotation.publish-ahead (" + rotation.publishAhead() + ").");
        }
        Duration refresh = config.refresh().lifetime();
        if (refresh.compareTo(lifetime) <= 0) {
            problems.add("keyring.refresh.lifetime", "(" + refresh + ") must be longer than keyring.token.lifetime ("
                    + lifetime + ").");
        }
        Duration prune = interval(problems, "keyring.revocation.prune-interval", config.revocation().pruneInterval());
        long cacheSize = config.verify().cache().maxSize();
        if (cacheSize < 0) {
            problems.add("keyring.verify.cache.max-size", "must not be negative; it is " + cacheSize + ".");
        }
        if (config.rsaKeyBits() < 2048) {
            problems.add("keyring.rsa-key-bits", "RSA keys need at least 2048 bits; it is " + config.rsaKeyBits() + ".");
        }
        int maxTokenBytes = config.verify().maxTokenBytes();
        if (maxTokenBytes < MIN_TOKEN_BYTES) {
            problems.add("keyring.verify.max-token-bytes", "must be at least " + MIN_TOKEN_BYTES
                    + ", or the ring's own tokens would be rejected; it is " + maxTokenBytes + ".");
        }
        required(problems, "keyring.issuer", config.issuer());
        required(problems, "keyring.audience", config.audience());
        if (derived.isPresent() && !algorithm.symmetric()) {
            problems.add("keyring.hmac.mode", "derived needs an HMAC algorithm in keyring.algorithm (HS256, HS384 or "
                    + "HS512); keyring.algorithm is " + algorithm.joseName() + ".");
        }
        return new KeyringSettings(storeType, rotation, checkInterval,
                new IssuerSettings(config.issuer(), config.audience(), lifetime),
                new VerificationPolicy(config.issuer(), config.audience(), skew, TokenIssuer.ACCESS_TOKEN_TYPE,
                        maxTokenBytes, propagation),
                config.verify().cache().enabled() ? Math.max(cacheSize, 0) : 0, refresh, prune, config.rsaKeyBits(),
                derived, config.reissue().enabled(), config.verify().otherIssuers(), loginLimits(config, problems));
    }

    private static Optional<LoginLimits> loginLimits(KeyringConfig config, ConfigProblems problems) {
        KeyringConfig.Login.Throttle throttle = config.login().throttle();
        if (!throttle.enabled()) {
            return Optional.empty();
        }
        atLeastOne(problems, "keyring.login.throttle.account-failures", throttle.accountFailures());
        atLeastOne(problems, "keyring.login.throttle.address-failures", throttle.addressFailures());
        return Optional.of(new LoginLimits(Math.max(1, throttle.accountFailures()),
                interval(problems, "keyring.login.throttle.account-period", throttle.accountPeriod()),
                Math.max(1, throttle.addressFailures()),
                interval(problems, "keyring.login.throttle.address-period", throttle.addressPeriod())));
    }

    private static void atLeastOne(ConfigProblems problems, String key, int value) {
        if (value < 1) {
            problems.add(key, "must be at least 1; it is " + value + ".");
        }
    }

    private static RotationPolicy rotation(KeyringConfig config, boolean derived, Duration lifetime, Duration skew,
            Duration propagation, ConfigProblems problems) {
        Duration period = positive(problems, "keyring.rotation.period", config.rotation().period());
        Duration publishAhead = positive(problems, "keyring.rotation.publish-ahead", config.rotation().publishAhead());
        if (derived && publishAhead.compareTo(period) >= 0) {
            // derived keys need no publication; keep the policy valid for short periods
            publishAhead = period.dividedBy(2);
        }
        boolean valid = true;
        if (publishAhead.compareTo(period) >= 0) {
            problems.add("keyring.rotation.publish-ahead", "(" + publishAhead + ") must be shorter than "
                    + "keyring.rotation.period (" + period + ").");
            valid = false;
        }
        if (propagation.compareTo(publishAhead) >= 0) {
            problems.add("keyring.rotation.publish-ahead", "(" + publishAhead + ") must be longer than the storage's "
                    + "reload interval (keyring.store.jdbc.reload-interval, " + propagation + "), or a node could sign "
                    + "with a key that another node has not loaded yet.");
            valid = false;
        }
        if (derived) {
            valid &= derivedPeriods(config, period, lifetime, skew, problems);
        }
        return valid ? new RotationPolicy(config.algorithm(), period, publishAhead, lifetime, skew, propagation) : null;
    }

    private static Optional<DerivedHmac> derivedHmac(KeyringConfig config, ConfigProblems problems) {
        KeyringConfig.Hmac hmac = config.hmac();
        if (hmac.mode() != KeyringConfig.HmacMode.DERIVED) {
            return Optional.empty();
        }
        if (hmac.acceptPrevious() < 1) {
            problems.add("keyring.hmac.accept-previous", "must be at least 1, or tokens issued just before a period "
                    + "ends would be rejected the moment it ends; it is " + hmac.acceptPrevious() + ".");
        }
        hmac.masterSecret().ifPresent(secret -> {
            try {
                byte[] master = Base64Settings.decode(secret, "keyring.hmac.master-secret");
                if (master.length < DerivedHmacKeyRingManager.MIN_MASTER_BYTES) {
                    problems.add("keyring.hmac.master-secret", "has " + master.length + " bytes; at least "
                            + DerivedHmacKeyRingManager.MIN_MASTER_BYTES + " random bytes are needed (e.g. "
                            + "'openssl rand -base64 32', usually in KEYRING_HMAC_MASTER_SECRET).");
                }
                Arrays.fill(master, (byte) 0);
            } catch (KeyringException e) {
                problems.add("keyring.hmac.master-secret", "is not base64 (standard or URL-safe).");
            }
        });
        return Optional.of(new DerivedHmac(hmac.acceptPrevious(), hmac.masterAlias()));
    }

    private static boolean derivedPeriods(KeyringConfig config, Duration period, Duration lifetime, Duration skew,
            ConfigProblems problems) {
        if (period.getNano() != 0) {
            problems.add("keyring.rotation.period", "must be a whole number of seconds with derived HMAC keys; it is "
                    + period + ".");
            return false;
        }
        int accept = Math.max(config.hmac().acceptPrevious(), 1);
        if (lifetime.plus(skew).compareTo(period.multipliedBy(accept)) > 0) {
            problems.add("keyring.token.lifetime", "(" + lifetime + ") plus the clock skew (" + skew + ") must fit "
                    + "into keyring.hmac.accept-previous (" + accept + ") periods of " + period + ", or tokens would be "
                    + "rejected before they expire.");
            return false;
        }
        return true;
    }

    private static Duration positive(ConfigProblems problems, String key, Duration value) {
        if (value.isZero() || value.isNegative()) {
            problems.add(key, "must be a positive duration (e.g. PT5M or 5m); it is " + value + ".");
            return Duration.ofSeconds(1);
        }
        return value;
    }

    private static Duration interval(ConfigProblems problems, String key, Duration value) {
        Duration checked = positive(problems, key, value);
        if (checked.compareTo(SHORTEST_INTERVAL) < 0) {
            problems.add(key, "must be at least " + SHORTEST_INTERVAL.toSeconds() + "s; it is " + value + ".");
            return SHORTEST_INTERVAL;
        }
        return checked;
    }

    private static void required(ConfigProblems problems, String key, String value) {
        if (value == null || value.isBlank()) {
            problems.add(key, "must not be empty.");
        }
    }
}
