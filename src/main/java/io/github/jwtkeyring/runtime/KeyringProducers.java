package io.github.jwtkeyring.runtime;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;

import io.github.jwtkeyring.issue.Jose4jTokenIssuer;
import io.github.jwtkeyring.issue.RefreshFamilies;
import io.github.jwtkeyring.issue.RefreshTokens;
import io.github.jwtkeyring.issue.TokenIssuer;
import io.github.jwtkeyring.keys.JdkKeyGenerator;
import io.github.jwtkeyring.keys.KeyCustody;
import io.github.jwtkeyring.keys.KeyGenerator;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.revocation.LedgerSettings;
import io.github.jwtkeyring.revocation.TokenLedger;
import io.github.jwtkeyring.rotation.DerivedHmacKeyRingManager;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.rotation.Rotation;
import io.github.jwtkeyring.rotation.StoredKeyRingManager;
import io.github.jwtkeyring.runtime.audit.AuditEvent;
import io.github.jwtkeyring.runtime.audit.AuditTrail;
import io.github.jwtkeyring.runtime.audit.RingAudit;
import io.github.jwtkeyring.runtime.config.ConfigProblems;
import io.github.jwtkeyring.runtime.config.DerivedHmacMaster;
import io.github.jwtkeyring.runtime.config.KeyringConfig;
import io.github.jwtkeyring.runtime.config.KeyringSettings;
import io.github.jwtkeyring.runtime.config.RenamedKeys;
import io.github.jwtkeyring.runtime.custody.CustodySource;
import io.github.jwtkeyring.runtime.metrics.KeyringMetrics;
import io.github.jwtkeyring.runtime.metrics.MeteredTokenIssuer;
import io.github.jwtkeyring.runtime.metrics.NoKeyringMetrics;
import io.github.jwtkeyring.runtime.storage.StorageProvider;
import io.github.jwtkeyring.store.Storage;
import io.github.jwtkeyring.verify.TokenVerifier;
import io.github.jwtkeyring.verify.VerifiedTokenCache;
import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;

/**
 * Builds the module's beans from {@link KeyringSettings}: the storage of the configured technology, the key ring
 * manager, the issuer, the verifier and its cache, the token ledger and refresh tokens. Nothing here switches on the
 * storage technology: {@link StorageProvider} beans do.
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

    /**
     * The configuration, checked as a whole.
     *
     * @throws io.quarkus.runtime.configuration.ConfigurationException naming every problem at once
     */
    @Produces
    @Singleton
    KeyringSettings settings(KeyringConfig config, Config mpConfig, @Any Instance<StorageProvider> providers,
            CustodySource custody, AuditTrail audit) {
        ConfigProblems problems = new ConfigProblems();
        custody.check(problems);
        List<String> types = providers.stream().map(StorageProvider::type).toList();
        StorageProvider chosen = find(providers, config.store().type());
        Duration propagation = Duration.ZERO;
        if (chosen != null) {
            chosen.check(problems);
            propagation = chosen.propagation();
        }
        KeyringSettings settings = KeyringSettings.from(config, types, propagation, problems);
        try {
            problems.throwIfAny();
        } catch (ConfigurationException e) {
            audit.record(AuditEvent.Action.STARTUP_REFUSED, AuditEvent.Actor.STARTUP,
                    Map.of("reason", e.getMessage()));
            throw e;
        }
        RenamedKeys.warnAboutOldNames(mpConfig);
        return settings;
    }

    @Produces
    @Singleton
    Storage storage(KeyringSettings settings, @Any Instance<StorageProvider> providers, CustodySource custody) {
        return find(providers, settings.storeType()).open(custody.custody());
    }

    void closeStorage(@Disposes Storage storage) {
        storage.close();
    }

    private static StorageProvider find(Instance<StorageProvider> providers, String type) {
        String wanted = type.trim().toLowerCase(Locale.ROOT);
        return providers.stream().filter(p -> p.type().equals(wanted)).findFirst().orElse(null);
    }

    @Produces
    @Singleton
    KeyRingManager manager(KeyringSettings settings, KeyringConfig config, Storage storage, InstantSource clock,
            CustodySource custodySource, RingAudit audit) {
        if (settings.derivedHmac().isPresent()) {
            byte[] master = DerivedHmacMaster.resolve(config, storage);
            try {
                return new DerivedHmacKeyRingManager(settings.rotation(), settings.derivedHmac().get().acceptPrevious(),
                        master, clock);
            } finally {
                Arrays.fill(master, (byte) 0);
            }
        }
        Optional<KeyCustody> custody = custodySource.custody();
        KeyGenerator generator = custody.<KeyGenerator> map(c -> c::generate)
                .orElseGet(() -> new JdkKeyGenerator(new SecureRandom(), settings.rsaKeyBits()));
        return new StoredKeyRingManager(storage.keyRing(), new Rotation(settings.rotation(), generator), clock,
                custody.orElse(null), audit);
    }

    @Produces
    @Singleton
    TokenIssuer tokenIssuer(KeyringSettings settings, KeyRingManager manager, InstantSource clock,
            KeyringMetrics metrics) {
        TokenIssuer issuer = new Jose4jTokenIssuer(manager, clock, settings.issuer());
        return metrics instanceof NoKeyringMetrics ? issuer : new MeteredTokenIssuer(issuer, metrics);
    }

    @Produces
    @Singleton
    TokenVerifier tokenVerifier(KeyringSettings settings, KeyRingManager manager, InstantSource clock) {
        return new TokenVerifier(manager, clock, settings.verification());
    }

    @Produces
    @Singleton
    VerifiedTokenCache<JWTCallerPrincipal> verifiedTokens(KeyringSettings settings, KeyRingManager manager,
            InstantSource clock) {
        return new VerifiedTokenCache<>(manager, clock, settings.verification().clockSkew(), settings.cacheSize());
    }

    @Produces
    @Singleton
    LedgerSettings ledgerSettings(KeyringSettings settings, KeyRingManager manager) {
        Duration defaultLifetime = settings.issuer().defaultLifetime();
        return new LedgerSettings(settings.verification().clockSkew(), settings.refreshLifetime(),
                () -> manager.current().keys().stream().map(ManagedKey::metadata).map(m -> m.maxIssuedLifetime())
                        .max(Duration::compareTo).orElse(defaultLifetime));
    }

    @Produces
    @Singleton
    TokenLedger ledger(LedgerSettings settings, Storage storage, InstantSource clock) {
        return new TokenLedger(storage.ledgerJournal(), clock, settings);
    }

    void closeLedger(@Disposes TokenLedger ledger) {
        ledger.close();
    }

    @Produces
    @Singleton
    RefreshFamilies refreshFamilies(TokenLedger ledger, InstantSource clock, LedgerSettings settings) {
        return new RefreshFamilies(ledger, clock, settings);
    }

    @Produces
    @Singleton
    RefreshTokens refreshTokens(TokenIssuer issuer, RefreshFamilies families) {
        return new RefreshTokens(issuer, families);
    }
}
