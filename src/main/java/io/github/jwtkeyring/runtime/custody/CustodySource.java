package io.github.jwtkeyring.runtime.custody;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;

import io.github.jwtkeyring.keys.KeyCustody;
import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.runtime.config.ConfigProblems;
import io.github.jwtkeyring.runtime.config.KeyringConfig;
import io.github.jwtkeyring.store.pkcs11.Pkcs11KeyCustody;
import io.github.jwtkeyring.store.pkcs11.Pkcs11Slot;
import io.quarkus.credentials.CredentialsProvider;
import io.quarkus.credentials.runtime.CredentialsProviderFinder;
import io.quarkus.runtime.ImageMode;

/**
 * The configured key custody: checks {@code keyring.custody.*} with the rest of the configuration, then opens the token
 * once, when the storage opens, and closes it with the application.
 */
@ApplicationScoped
public class CustodySource {

    /** {@code keyring.custody.type} of key material kept in the store. */
    public static final String SOFTWARE = "software";
    private static final String PREFIX = "keyring.custody.pkcs11.";

    @Inject
    CustodyConfig config;

    @Inject
    KeyringConfig keyring;

    @Inject
    Config mpConfig;

    private Pkcs11KeyCustody opened;

    /** Records every problem of the custody settings. */
    public void check(ConfigProblems problems) {
        String type = type();
        if (type.equals(SOFTWARE)) {
            return;
        }
        if (!type.equals(Pkcs11KeyCustody.NAME)) {
            problems.add("keyring.custody.type", "'" + config.type() + "' is not a key custody: choose software or "
                    + "pkcs11.");
            return;
        }
        CustodyConfig.Pkcs11 pkcs11 = config.pkcs11();
        if (ImageMode.current() == ImageMode.NATIVE_RUN) {
            problems.add("keyring.custody.type", "pkcs11 is not available in a native executable (GraalVM does not "
                    + "support the JDK's SunPKCS11 provider): run the service on the JVM to keep keys on a token.");
        }
        if (pkcs11.library().isEmpty()) {
            problems.add(PREFIX + "library", "is not set: the absolute path of the token's PKCS#11 library, e.g. "
                    + "/usr/lib/softhsm/libsofthsm2.so for SoftHSM2.");
        } else if (!pkcs11.library().get().isAbsolute()) {
            problems.add(PREFIX + "library", "must be an absolute path; it is " + pkcs11.library().get() + ".");
        }
        int named = (pkcs11.slot().isPresent() ? 1 : 0) + (pkcs11.slotIndex().isPresent() ? 1 : 0)
                + (pkcs11.tokenLabel().isPresent() ? 1 : 0);
        if (named != 1) {
            problems.add(PREFIX + "slot", "or " + PREFIX + "slot-index or " + PREFIX + "token-label must be set, "
                    + "exactly one of them: the token's slot id ('softhsm2-util --show-slots' or "
                    + "'pkcs11-tool --module <library> -L' lists them).");
        }
        if (pkcs11.pin().isEmpty() && pkcs11.credentialsProvider().isEmpty()) {
            problems.add(PREFIX + "pin", "is not set: the token's user PIN, typically from the environment variable "
                    + "KEYRING_CUSTODY_PKCS11_PIN, or " + PREFIX + "credentials-provider.");
        }
        String prefix = pkcs11.labelPrefix();
        if (!Pkcs11KeyCustody.validLabelPrefix(prefix)) {
            problems.add(PREFIX + "label-prefix", "must be 1 to 16 of the characters A-Z, a-z, 0-9, '.', '_' and '-' "
                    + "(it starts every kid, which appears in URLs); it is '" + prefix + "'.");
        }
        if (keyring.algorithm() == SigningAlgorithm.EDDSA) {
            problems.add("keyring.algorithm", "EdDSA keys cannot be kept on a PKCS#11 token: SunPKCS11, the JDK's "
                    + "PKCS#11 provider, has no EdDSA (JDK 17 to 25). Choose ES256 to keep keys on the token, or "
                    + "keyring.custody.type=software to keep EdDSA.");
        }
        if (keyring.algorithm().symmetric() && !mpConfig
                .getOptionalValue("quarkus.smallrye-jwt.blocking-authentication", Boolean.class).orElse(false)) {
            problems.add("keyring.algorithm", keyring.algorithm() + " keys on a PKCS#11 token verify on the token, "
                    + "which must not happen on the event loop: set quarkus.smallrye-jwt.blocking-authentication=true "
                    + "(bearer tokens are then verified on a worker thread), or choose ES256.");
        }
        if (keyring.hmac().mode() == KeyringConfig.HmacMode.DERIVED) {
            problems.add("keyring.hmac.mode", "derived keys are computed in memory from a master secret, so they cannot "
                    + "be kept on a PKCS#11 token: use keyring.hmac.mode=stored with keyring.custody.type=pkcs11.");
        }
    }

    /**
     * The custody to hand to the storage: empty for {@code software}; for {@code pkcs11} the token, opened and logged
     * in on the first call.
     *
     * @throws KeyringException if the token cannot be used (the message names the fix, never the PIN)
     */
    public synchronized Optional<KeyCustody> custody() {
        if (!type().equals(Pkcs11KeyCustody.NAME)) {
            return Optional.empty();
        }
        if (opened == null) {
            CustodyConfig.Pkcs11 pkcs11 = config.pkcs11();
            Pkcs11Slot slot = pkcs11.tokenLabel().isPresent()
                    ? Pkcs11Slot.byTokenLabel(pkcs11.library().orElseThrow(), pkcs11.tokenLabel().get())
                    : new Pkcs11Slot(pkcs11.library().orElseThrow(),
                            pkcs11.slot().isPresent() ? pkcs11.slot().getAsLong() : null,
                            pkcs11.slotIndex().isPresent() ? pkcs11.slotIndex().getAsInt() : null);
            char[] pin = pin(pkcs11);
            try {
                Pkcs11KeyCustody custody = Pkcs11KeyCustody.open(slot, pin, keyring.rsaKeyBits(),
                        pkcs11.labelPrefix());
                custody.requireMechanisms(keyring.algorithm());
                opened = custody;
            } finally {
                java.util.Arrays.fill(pin, '\0');
            }
        }
        return Optional.of(opened);
    }

    /** The custody once it has been opened; empty before, and for {@code software}. */
    public synchronized Optional<KeyCustody> opened() {
        return Optional.ofNullable(opened);
    }

    private static char[] pin(CustodyConfig.Pkcs11 pkcs11) {
        if (pkcs11.pin().isPresent()) {
            return pkcs11.pin().get().toCharArray();
        }
        String name = pkcs11.credentialsProvider().orElseThrow();
        CredentialsProvider provider = CredentialsProviderFinder.find(pkcs11.credentialsProviderName().orElse(null));
        Map<String, String> credentials = provider.getCredentials(name);
        String pin = credentials == null ? null : credentials.get(CredentialsProvider.PASSWORD_PROPERTY_NAME);
        if (pin == null) {
            throw new KeyringException("The credentials provider gave no '" + CredentialsProvider.PASSWORD_PROPERTY_NAME
                    + "' entry for " + PREFIX + "credentials-provider=" + name + ".");
        }
        return pin.toCharArray();
    }

    private String type() {
        return config.type().trim().toLowerCase(Locale.ROOT);
    }

    @PreDestroy
    synchronized void close() {
        if (opened != null) {
            opened.close();
        }
    }
}
