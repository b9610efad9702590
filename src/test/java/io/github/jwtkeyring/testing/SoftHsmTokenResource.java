package io.github.jwtkeyring.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A fresh SoftHSM2 token for a {@code @QuarkusTest} profile: configures {@code keyring.custody.type=pkcs11} on it, with
 * the ring's metadata in a PKCS#12 manifest in a temporary directory.
 */
public class SoftHsmTokenResource implements QuarkusTestResourceLifecycleManager {

    /** The PIN of the token. */
    public static final String PIN = "7531";
    private static volatile SoftHsm.Token current;
    private boolean pinFromCredentialsProvider;

    /** {@code pin=credentials-provider}: the PIN comes from {@link TestCredentialsProvider}, not from the settings. */
    @Override
    public void init(Map<String, String> initArgs) {
        pinFromCredentialsProvider = "credentials-provider".equals(initArgs.get("pin"));
    }

    /** The token of the running profile. */
    public static SoftHsm.Token current() {
        return current;
    }

    @Override
    public Map<String, String> start() {
        SoftHsm.Token token = SoftHsm.token("quarkus-test", PIN);
        current = token;
        Path dir;
        try {
            dir = Files.createTempDirectory("keyring-pkcs11-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = new HashMap<>(Map.of("keyring.custody.type", "pkcs11",
                "keyring.custody.pkcs11.library", token.library().toString(),
                "keyring.custody.pkcs11.slot", Long.toString(token.slot()),
                "keyring.store.type", "pkcs12",
                "keyring.store.pkcs12.path", dir.resolve("keyring.p12").toString(),
                "keyring.store.pkcs12.password", "manifest-password"));
        if (pinFromCredentialsProvider) {
            config.put("keyring.custody.pkcs11.credentials-provider", TestCredentialsProvider.PIN_NAME);
            config.put("keyring.custody.pkcs11.credentials-provider-name", TestCredentialsProvider.BEAN_NAME);
        } else {
            config.put("keyring.custody.pkcs11.pin", PIN);
        }
        return config;
    }

    @Override
    public void stop() {
        // the token lives under target/softhsm; a new run makes new ones
    }
}
