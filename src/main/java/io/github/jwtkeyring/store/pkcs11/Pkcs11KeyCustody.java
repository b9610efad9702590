package io.github.jwtkeyring.store.pkcs11;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

import io.github.jwtkeyring.keys.KeyCustody;
import io.github.jwtkeyring.keys.KeyMaterial;
import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.PublicJwk;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.store.KeyEncodings;

/**
 * Keys on a PKCS#11 token through SunPKCS11. Every key is generated on the token as a session object and then copied
 * onto the token under its kid (SunPKCS11's key store does this with {@code C_CopyObject}), so a process that dies
 * between the two leaves nothing behind; the copy keeps {@code CKA_SENSITIVE}, {@code CKA_NEVER_EXTRACTABLE} and
 * {@code CKA_LOCAL}. A key pair is stored with a {@link SelfSignedCertificate} (the key store lists private keys only
 * with one), an HMAC secret as a secret key labelled with its kid. Public keys are read once and verified in software;
 * signing and HMAC run on the token.
 * <p>
 * Every kid (and so every label) starts with a prefix ({@value #DEFAULT_LABEL_PREFIX} by default): the module
 * treats the token's objects with that prefix as its own, and leaves every other object on the token alone.
 * <p>
 * Key store operations are serialised here; signatures run concurrently on the provider's own session pool.
 */
public final class Pkcs11KeyCustody implements KeyCustody, AutoCloseable {

    /** The custody name stores record. */
    public static final String NAME = "pkcs11";
    /** The default prefix of the labels (kids) of this module's keys on the token. */
    public static final String DEFAULT_LABEL_PREFIX = "jk-";

    /**
     * Generation templates: keys are session objects (copied onto the token once labelled), private keys and secrets
     * sensitive, never extractable, and usable only to sign (SoftHSM's defaults would also allow decrypt and unwrap).
     */
    private static final String TEMPLATES = """
            attributes(generate, *, *) = {
              CKA_TOKEN = false
            }
            attributes(generate, CKO_PUBLIC_KEY, *) = {
              CKA_VERIFY = true
              CKA_ENCRYPT = false
              CKA_WRAP = false
            }
            attributes(generate, CKO_PRIVATE_KEY, *) = {
              CKA_PRIVATE = true
              CKA_SENSITIVE = true
              CKA_EXTRACTABLE = false
              CKA_SIGN = true
              CKA_DECRYPT = false
              CKA_UNWRAP = false
              CKA_DERIVE = false
            }
            attributes(generate, CKO_SECRET_KEY, *) = {
              CKA_PRIVATE = true
              CKA_SENSITIVE = true
              CKA_EXTRACTABLE = false
              CKA_SIGN = true
              CKA_VERIFY = true
              CKA_ENCRYPT = false
              CKA_DECRYPT = false
              CKA_WRAP = false
              CKA_UNWRAP = false
              CKA_DERIVE = false
            }
            """;

    /** How many times a process loads the library afresh ({@link #reconnect}) before it asks for a restart. */
    static final int MAX_LIBRARY_RELOADS = 16;

    private final Pkcs11Slot slot;
    private volatile Provider provider;
    private volatile KeyStore tokenKeys;
    private int libraryReloads;
    private final char[] pin;
    private final int rsaKeyBits;
    private final String labelPrefix;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong epoch = new AtomicLong();
    /** Why logging in again cannot help (the token refused the PIN), once it has; never retried then. */
    private volatile String loginRefused;

    private Pkcs11KeyCustody(Pkcs11Slot slot, Provider provider, KeyStore tokenKeys, char[] pin, int rsaKeyBits,
            String labelPrefix) {
        this.slot = slot;
        this.provider = provider;
        this.tokenKeys = tokenKeys;
        this.pin = pin;
        this.rsaKeyBits = rsaKeyBits;
        this.labelPrefix = labelPrefix;
    }

    /**
     * Configures SunPKCS11 for {@code slot} and logs in with {@code pin}, once: a wrong PIN is never retried.
     *
     * @param rsaKeyBits the modulus of new RSA keys
     * @param labelPrefix the prefix of this module's labels on the token: printable ASCII without spaces
     * @throws KeyringException naming the fix: library missing, slot unknown, wrong PIN, no SunPKCS11
     */
    public static Pkcs11KeyCustody open(Pkcs11Slot slot, char[] pin, int rsaKeyBits, String labelPrefix) {
        if (!validLabelPrefix(labelPrefix)) {
            throw new KeyringException("The label prefix of keys on the token must be 1 to 16 of the characters "
                    + "A-Z, a-z, 0-9, '.', '_' and '-' (it starts every kid, which appears in URLs).");
        }
        slot.requireLibrary();
        char[] kept = pin.clone();
        try {
            Provider provider = configure(slot, slot.library());
            return new Pkcs11KeyCustody(slot, provider, login(provider, kept, slot), kept, rsaKeyBits, labelPrefix);
        } catch (KeyringException e) {
            Arrays.fill(kept, '\0');
            throw e;
        }
    }

    /** Whether {@code prefix} may start kids: 1 to 16 characters of the base64url alphabet, or '.'. */
    public static boolean validLabelPrefix(String prefix) {
        return prefix.matches("[A-Za-z0-9._-]{1,16}");
    }

    private static Provider configure(Pkcs11Slot slot, Path library) {
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new KeyringException("This Java runtime has no SunPKCS11 provider (module jdk.crypto.cryptoki), so "
                    + "keys cannot be kept on a PKCS#11 token: use a JDK that includes it (native executables do not).");
        }
        try {
            return base.configure("--name = JwtKeyring\n" + slot.withLibrary(library).providerLines() + TEMPLATES);
        } catch (RuntimeException e) {
            throw new KeyringException("The PKCS#11 token at " + slot + " cannot be used: "
                    + Pkcs11Failures.explain(e, slot), e);
        }
    }

    /** Logs in once: a wrong PIN is never retried. */
    private static KeyStore login(Provider provider, char[] pin, Pkcs11Slot slot) {
        try {
            KeyStore tokenKeys = KeyStore.getInstance("PKCS11", provider);
            tokenKeys.load(null, pin);
            return tokenKeys;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new KeyringException("Cannot log in to the PKCS#11 token at " + slot + ": "
                    + Pkcs11Failures.explain(e, slot), e);
        }
    }

    /**
     * Connects to the token again and forgets every key handle found so far; keys found afterwards are new handles.
     * First it re-reads the token through the library as loaded (a network HSM's client reconnects by itself). With
     * {@code reloadLibrary}, it loads the library afresh from a private copy: SunPKCS11 initialises each library path
     * once per process, and some libraries (SoftHSM2) see a token again only after a new initialisation. The copy is
     * removed once loaded; the earlier instance stays in memory, so this happens at most
     * {@value #MAX_LIBRARY_RELOADS} times per process.
     *
     * @throws KeyringException if the token still cannot be reached
     */
    @Override
    public synchronized void reconnect(boolean reloadLibrary) {
        requireLoginPossible();
        epoch.incrementAndGet();
        if (!reloadLibrary) {
            try {
                KeyStore fresh = KeyStore.getInstance("PKCS11", provider);
                fresh.load(null, pin);
                tokenKeys = fresh;
                return;
            } catch (IOException | GeneralSecurityException | ProviderException e) {
                noteLoginRefusal(e);
                throw new KeyringException("The PKCS#11 token at " + slot + " cannot be reached: "
                        + Pkcs11Failures.explain(e, slot), e);
            }
        }
        if (libraryReloads >= MAX_LIBRARY_RELOADS) {
            throw new KeyringException("The PKCS#11 library " + slot.library() + " was loaded afresh "
                    + MAX_LIBRARY_RELOADS + " times already; restart the process to reach the token again.");
        }
        libraryReloads++;
        Path copy;
        try {
            copy = Files.createTempFile("jwt-keyring-pkcs11-", ".so");
            Files.copy(slot.library(), copy, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new KeyringException("The PKCS#11 library " + slot.library() + " could not be copied to be loaded "
                    + "afresh: " + e.getMessage(), e);
        }
        try {
            Provider fresh = configure(slot, copy);
            KeyStore keys = login(fresh, pin, slot);
            provider = fresh;
            tokenKeys = keys;
            epoch.incrementAndGet();
        } catch (KeyringException e) {
            noteLoginRefusal(e);
            throw e;
        } finally {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                // the copy is loaded or useless either way; a leftover temporary file holds nothing secret
            }
        }
    }

    /**
     * Checks that the token offers every mechanism {@code algorithm} needs.
     *
     * @throws KeyringException naming the missing mechanism and what to choose instead
     */
    public void requireMechanisms(SigningAlgorithm algorithm) {
        if (algorithm == SigningAlgorithm.EDDSA) {
            throw new KeyringException("EdDSA keys cannot be kept on a PKCS#11 token: SunPKCS11, the JDK's PKCS#11 "
                    + "provider, has no EdDSA (JDK 17 to 25). Choose ES256 (keyring.algorithm=ES256) to keep keys on "
                    + "the token, or keep EdDSA keys in software (keyring.custody.type=software).");
        }
        String[][] needed = switch (algorithm.family()) {
            case EC -> new String[][] { { "KeyPairGenerator", "EC" }, { "Signature", "SHA256withECDSAinP1363Format" },
                    { "Signature", "SHA256withECDSA" } };
            case RSA -> new String[][] { { "KeyPairGenerator", "RSA" }, { "Signature", "SHA256withRSA" },
                    { "Signature", algorithm == SigningAlgorithm.PS256 ? "RSASSA-PSS" : "SHA256withRSA" } };
            default -> new String[][] { { "KeyGenerator", algorithm.jcaMacName() },
                    { "Mac", algorithm.jcaMacName() } };
        };
        for (String[] service : needed) {
            if (provider.getService(service[0], service[1]) == null) {
                throw new KeyringException("The PKCS#11 token at " + slot + " does not offer " + service[0] + " "
                        + service[1] + ", which " + algorithm + " keys need: choose an algorithm the token supports "
                        + "(keyring.algorithm) or another token.");
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Provider provider() {
        return provider;
    }

    @Override
    public synchronized KeyMaterial generate(SigningAlgorithm algorithm) {
        requireMechanisms(algorithm);
        try {
            return algorithm.symmetric() ? generateSecret(algorithm) : generatePair(algorithm);
        } catch (GeneralSecurityException | ProviderException e) {
            // nothing was stored: the change that asked for the key answers 503 and may be retried
            throw new StoreException("The PKCS#11 token at " + slot + " could not generate an " + algorithm
                    + " key: " + Pkcs11Failures.explain(e, slot), e);
        }
    }

    private KeyMaterial generatePair(SigningAlgorithm algorithm) throws GeneralSecurityException {
        boolean ec = algorithm.family() == SigningAlgorithm.KeyFamily.EC;
        KeyPairGenerator generator = KeyPairGenerator.getInstance(ec ? "EC" : "RSA", provider);
        if (ec) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            generator.initialize(new RSAKeyGenParameterSpec(rsaKeyBits, RSAKeyGenParameterSpec.F4));
        }
        KeyPair pair = generator.generateKeyPair();
        PublicKey publicKey = KeyEncodings.publicKey(algorithm, pair.getPublic().getEncoded());
        String kid = labelPrefix + PublicJwk.thumbprint(publicKey);
        Certificate certificate = SelfSignedCertificate.create(kid, publicKey, pair.getPrivate(), provider, random);
        tokenKeys.setKeyEntry(kid, pair.getPrivate(), null, new Certificate[] { certificate });
        Key onToken = tokenKeys.getKey(kid, null);
        if (onToken == null) {
            throw new StoreException("The PKCS#11 token at " + slot + " did not keep the new key '" + kid + "'.");
        }
        return KeyMaterial.inCustody(this, kid, algorithm, onToken, publicKey);
    }

    private KeyMaterial generateSecret(SigningAlgorithm algorithm) throws GeneralSecurityException {
        SecretKey session = KeyGenerator.getInstance(algorithm.jcaMacName(), provider).generateKey();
        byte[] id = new byte[16];
        random.nextBytes(id);
        String kid = labelPrefix + "hs-" + Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        tokenKeys.setEntry(kid, new KeyStore.SecretKeyEntry(session), null);
        Key onToken = tokenKeys.getKey(kid, null);
        if (!(onToken instanceof SecretKey)) {
            throw new StoreException("The PKCS#11 token at " + slot + " did not keep the new key '" + kid + "'.");
        }
        return KeyMaterial.inCustody(this, kid, algorithm, onToken, null);
    }

    @Override
    public synchronized Key handle(String kid, SigningAlgorithm algorithm, byte[] publicKey) {
        try {
            Key key = tokenKeys.getKey(kid, null);
            if (key == null) {
                reload();
                key = tokenKeys.getKey(kid, null);
            }
            if (key == null) {
                throw new StoreException("Key '" + kid + "' is not on the PKCS#11 token at " + slot + ", although "
                        + "the key ring holds it there. Point keyring.custody.pkcs11 at the token that holds the "
                        + "ring's keys.");
            }
            if (!algorithm.symmetric()) {
                publicKey(kid, publicKey);
            }
            return key;
        } catch (GeneralSecurityException | IOException | ProviderException e) {
            throw new KeyringException("Key '" + kid + "' cannot be read from the PKCS#11 token at " + slot + ": "
                    + Pkcs11Failures.explain(e, slot), e);
        }
    }

    @Override
    public long epoch() {
        return epoch.get();
    }

    @Override
    public Optional<String> unrecoverable() {
        if (loginRefused != null) {
            return Optional.of(loginRefused);
        }
        return libraryReloads >= MAX_LIBRARY_RELOADS ? Optional.of("the PKCS#11 library was loaded afresh "
                + MAX_LIBRARY_RELOADS + " times; restart the process to reach the token again") : Optional.empty();
    }

    private PublicKey publicKey(String kid, byte[] stored) throws GeneralSecurityException {
        Certificate certificate = tokenKeys.getCertificate(kid);
        if (certificate == null || stored == null
                || !Arrays.equals(certificate.getPublicKey().getEncoded(), stored)) {
            throw new StoreException("The PKCS#11 token at " + slot + " holds a different key under '" + kid
                    + "' than the key ring recorded; the token was not changed.");
        }
        return certificate.getPublicKey();
    }

    @Override
    public synchronized void destroy(String kid) {
        try {
            if (!tokenKeys.containsAlias(kid)) {
                reload();
            }
            if (tokenKeys.containsAlias(kid)) {
                tokenKeys.deleteEntry(kid);
            }
        } catch (GeneralSecurityException | IOException | ProviderException e) {
            throw new KeyringException("Key '" + kid + "' could not be destroyed on the PKCS#11 token at " + slot
                    + ": " + Pkcs11Failures.explain(e, slot), e);
        }
    }

    @Override
    public synchronized Set<String> kids() {
        try {
            reload();
            Set<String> kids = new TreeSet<>();
            for (String alias : Collections.list(tokenKeys.aliases())) {
                if (alias.startsWith(labelPrefix)) {
                    kids.add(alias);
                }
            }
            return Collections.unmodifiableSet(kids);
        } catch (GeneralSecurityException | IOException | ProviderException e) {
            throw new KeyringException("The keys on the PKCS#11 token at " + slot + " cannot be listed: "
                    + Pkcs11Failures.explain(e, slot), e);
        }
    }

    /**
     * Re-reads the token's objects, e.g. keys another node generated since this one last looked. SunPKCS11 logs in
     * again if the session was logged out; a PIN the token refuses is never presented again.
     */
    private void reload() throws GeneralSecurityException, IOException {
        requireLoginPossible();
        try {
            tokenKeys.load(null, pin);
        } catch (IOException | GeneralSecurityException | ProviderException e) {
            noteLoginRefusal(e);
            throw e;
        }
    }

    private void requireLoginPossible() {
        if (loginRefused != null) {
            throw new KeyringException("The PKCS#11 token at " + slot + " refused the PIN (" + loginRefused
                    + "); it is not presented again: fix keyring.custody.pkcs11.pin and restart.");
        }
    }

    private void noteLoginRefusal(Throwable failure) {
        String code = Pkcs11Failures.returnValue(failure);
        if (code != null && code.startsWith("CKR_PIN_")) {
            loginRefused = code;
        }
    }

    @Override
    public String describe() {
        return "PKCS#11 token at " + slot;
    }

    /** Forgets the PIN; the provider's native library stays loaded until the process ends. */
    @Override
    public synchronized void close() {
        Arrays.fill(pin, '\0');
    }

    @Override
    public String toString() {
        return "Pkcs11KeyCustody[" + slot + "]";
    }
}
