package io.github.jwtkeyring.runtime;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.github.jwtkeyring.issue.IssuerSettings;
import io.github.jwtkeyring.issue.Jose4jTokenIssuer;
import io.github.jwtkeyring.issue.RefreshTokens;
import io.github.jwtkeyring.issue.TokenIssuer;
import io.github.jwtkeyring.keys.JdkKeyGenerator;
import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.revocation.LedgerJournal;
import io.github.jwtkeyring.revocation.LedgerSettings;
import io.github.jwtkeyring.revocation.TokenLedger;
import io.github.jwtkeyring.rotation.DerivedHmacKeyRingManager;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.rotation.Rotation;
import io.github.jwtkeyring.rotation.RotationPolicy;
import io.github.jwtkeyring.rotation.StoredKeyRingManager;
import io.github.jwtkeyring.runtime.config.HmacMasterSecret;
import io.github.jwtkeyring.runtime.config.KeyringConfig;
import io.github.jwtkeyring.runtime.storage.ClusterSync;
import io.github.jwtkeyring.runtime.storage.jdbc.JdbcWiring;
import io.github.jwtkeyring.runtime.storage.pkcs12.StorePasswords;
import io.github.jwtkeyring.store.KeyRingStore;
import io.github.jwtkeyring.store.memory.MemoryKeyRingStore;
import io.github.jwtkeyring.store.memory.MemoryLedgerJournal;
import io.github.jwtkeyring.store.pkcs12.FileLedgerJournal;
import io.github.jwtkeyring.store.pkcs12.Pkcs12KeyRingStore;
import io.github.jwtkeyring.verify.TokenVerifier;
import io.github.jwtkeyring.verify.VerificationPolicy;
import io.github.jwtkeyring.verify.VerifiedTokenCache;
import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;

/**
 * Builds the domain objects from {@link KeyringConfig} and loads the ring and the token ledger at startup, so that bad
 * configuration and an unreadable store stop the application before it serves a request.
 */
@ApplicationScoped
public class KeyringProducers {

    /** The clock every time decision reads; tests replace it with one they move by hand. */
    @Produces
    @DefaultBean
    @Singleton
    InstantSource clock() {
        return InstantSource.system();
    }

    @Produces
    @Singleton
    RotationPolicy policy(KeyringConfig config) {
        Duration publishAhead = config.rotation().publishAhead();
        if (config.hmac().mode() == KeyringConfig.HmacMode.DERIVED && publishAhead.compareTo(config.rotation()
                .period()) >= 0) {
            // derived keys need no publication; keep the policy valid for short periods
            publishAhead = config.rotation().period().dividedBy(2);
        }
        Duration propagation = Duration.ZERO;
        if (config.store().type() == KeyringConfig.StoreType.JDBC) {
            propagation = config.store().reloadInterval();
            if (propagation.isZero() || propagation.isNegative()) {
                throw new KeyringException("keyring.store.reload-interval must be a positive duration; it is "
                        + propagation + ".");
            }
        }
        RotationPolicy policy = new RotationPolicy(config.algorithm(), config.rotation().period(), publishAhead,
                config.token().lifetime(), config.token().clockSkew(), propagation);
        Duration check = config.rotation().checkInterval();
        if (check.compareTo(policy.publishAhead()) >= 0 || check.isNegative() || check.isZero()) {
            throw new KeyringException("keyring.rotation.check-interval (" + check + ") must be positive and shorter "
                    + "than keyring.rotation.publish-ahead (" + policy.publishAhead() + ").");
        }
        return policy;
    }

    @Produces
    @Singleton
    KeyRingManager manager(KeyringConfig config, RotationPolicy policy, InstantSource clock, JdbcWiring jdbc) {
        if (config.hmac().mode() == KeyringConfig.HmacMode.DERIVED) {
            if (!policy.algorithm().symmetric()) {
                throw new KeyringException("keyring.hmac.mode=derived needs an HMAC algorithm (HS256, HS384 or HS512) "
                        + "in keyring.algorithm; it is " + policy.algorithm() + ".");
            }
            byte[] master = HmacMasterSecret.resolve(config, LaunchMode.current());
            try {
                return new DerivedHmacKeyRingManager(policy, config.hmac().acceptPrevious(), master, clock);
            } finally {
                Arrays.fill(master, (byte) 0);
            }
        }
        Rotation rotation = new Rotation(policy, new JdkKeyGenerator(new SecureRandom(), config.rsaKeyBits()));
        return new StoredKeyRingManager(store(config, jdbc), rotation, clock);
    }

    private static KeyRingStore store(KeyringConfig config, JdbcWiring jdbc) {
        return switch (config.store().type()) {
            case MEMORY -> new MemoryKeyRingStore();
            case JDBC -> jdbc.keyRingStore();
            case PKCS12 -> new Pkcs12KeyRingStore(config.store().path(),
                    StorePasswords.resolve(config.store(), LaunchMode.current()));
        };
    }

    @Produces
    @Singleton
    TokenIssuer tokenIssuer(KeyringConfig config, KeyRingManager manager, InstantSource clock) {
        return new Jose4jTokenIssuer(manager, clock,
                new IssuerSettings(config.issuer(), config.audience(), config.token().lifetime()));
    }

    @Produces
    @Singleton
    TokenVerifier tokenVerifier(KeyringConfig config, KeyRingManager manager, InstantSource clock) {
        return new TokenVerifier(manager, clock, new VerificationPolicy(config.issuer(), config.audience(),
                config.token().clockSkew(), TokenIssuer.ACCESS_TOKEN_TYPE));
    }

    @Produces
    @Singleton
    VerifiedTokenCache<JWTCallerPrincipal> verifiedTokens(KeyringConfig config, KeyRingManager manager,
            InstantSource clock) {
        KeyringConfig.Verify.Cache cache = config.verify().cache();
        return new VerifiedTokenCache<>(manager, clock, config.token().clockSkew(),
                cache.enabled() ? cache.maxSize() : 0);
    }

    @Produces
    @Singleton
    TokenLedger ledger(KeyringConfig config, KeyRingManager manager, InstantSource clock, JdbcWiring jdbc) {
        Duration refresh = config.refresh().lifetime();
        if (refresh.compareTo(config.token().lifetime()) <= 0) {
            throw new KeyringException("keyring.refresh.lifetime (" + refresh + ") must be longer than "
                    + "keyring.token.lifetime (" + config.token().lifetime() + ").");
        }
        if (config.revocation().pruneInterval().isNegative() || config.revocation().pruneInterval().isZero()) {
            throw new KeyringException("keyring.revocation.prune-interval must be a positive duration; it is "
                    + config.revocation().pruneInterval() + ".");
        }
        LedgerSettings settings = new LedgerSettings(config.token().clockSkew(), refresh,
                () -> manager.current().keys().stream().map(ManagedKey::metadata)
                        .map(m -> m.maxIssuedLifetime()).max(Duration::compareTo).orElse(config.token().lifetime()));
        return new TokenLedger(journal(config, jdbc), clock, settings);
    }

    private static LedgerJournal journal(KeyringConfig config, JdbcWiring jdbc) {
        return switch (config.store().type()) {
            case MEMORY -> new MemoryLedgerJournal();
            case JDBC -> jdbc.ledgerJournal();
            case PKCS12 -> new FileLedgerJournal(config.store().journalPath()
                    .orElseGet(() -> Path.of(config.store().path() + ".journal")));
        };
    }

    void closeLedger(@Disposes TokenLedger ledger) {
        ledger.close();
    }

    @Produces
    @Singleton
    RefreshTokens refreshTokens(TokenIssuer issuer, TokenLedger ledger) {
        return new RefreshTokens(issuer, ledger);
    }

    void load(@Observes StartupEvent event, KeyRingManager manager, TokenLedger ledger, ClusterSync cluster) {
        manager.start();
        ledger.load();
        cluster.start();
    }
}
