package io.github.jwtkeyring.config;

import java.security.SecureRandom;
import java.time.InstantSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.github.jwtkeyring.issue.IssuerSettings;
import io.github.jwtkeyring.issue.Jose4jTokenIssuer;
import io.github.jwtkeyring.issue.TokenIssuer;
import io.github.jwtkeyring.keys.JdkKeyGenerator;
import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.rotation.Rotation;
import io.github.jwtkeyring.rotation.RotationPolicy;
import io.github.jwtkeyring.store.KeyRingStore;
import io.github.jwtkeyring.store.memory.MemoryKeyRingStore;
import io.github.jwtkeyring.store.pkcs12.Pkcs12KeyRingStore;
import io.github.jwtkeyring.verify.TokenVerifier;
import io.github.jwtkeyring.verify.VerificationPolicy;
import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * Builds the domain objects from {@link KeyringConfig} and loads the ring at startup, so that bad configuration and an
 * unreadable store stop the application before it serves a request.
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
        RotationPolicy policy = new RotationPolicy(config.algorithm(), config.rotation().period(),
                config.rotation().publishAhead(), config.token().lifetime(), config.token().clockSkew());
        if (config.rotation().checkInterval().compareTo(policy.publishAhead()) >= 0
                || config.rotation().checkInterval().isNegative() || config.rotation().checkInterval().isZero()) {
            throw new KeyringException("keyring.rotation.check-interval (" + config.rotation().checkInterval()
                    + ") must be positive and shorter than keyring.rotation.publish-ahead (" + policy.publishAhead()
                    + ").");
        }
        return policy;
    }

    @Produces
    @Singleton
    KeyRingManager manager(KeyringConfig config, RotationPolicy policy, InstantSource clock) {
        SecureRandom random = new SecureRandom();
        Rotation rotation = new Rotation(policy, new JdkKeyGenerator(random, config.rsaKeyBits()));
        return new KeyRingManager(store(config), rotation, clock);
    }

    private static KeyRingStore store(KeyringConfig config) {
        return switch (config.store().type()) {
            case MEMORY -> new MemoryKeyRingStore();
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

    void loadRing(@Observes StartupEvent event, KeyRingManager manager) {
        manager.start();
    }
}
