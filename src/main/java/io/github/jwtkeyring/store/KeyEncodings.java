package io.github.jwtkeyring.store;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

import javax.crypto.spec.SecretKeySpec;

import io.github.jwtkeyring.keys.KeyCustody;
import io.github.jwtkeyring.keys.KeyMaterial;
import io.github.jwtkeyring.keys.KeyMetadata;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.keys.StoreException;

/**
 * Key material as the bytes stores keep: HMAC secrets as they are, private keys as PKCS#8, public keys as X.509
 * SubjectPublicKeyInfo, and back.
 */
public final class KeyEncodings {

    private KeyEncodings() {
    }

    /**
     * The secret part: the HMAC secret or the PKCS#8 private key. The caller must not keep or log it.
     *
     * @throws StoreException if the key cannot leave its provider (an HSM key)
     */
    public static byte[] secretBytes(ManagedKey key, KeyMaterial material) {
        byte[] encoded = material.signingKey().getEncoded();
        if (encoded == null) {
            throw new StoreException("Key '" + key.kid() + "' cannot be exported (it lives on a token or HSM), so "
                    + "this store cannot hold it; the previous key ring is still stored.");
        }
        return encoded;
    }

    /** The name of the custody holding the secret part, or {@code null} when the store holds it itself. */
    public static String custodyName(KeyMaterial material) {
        return material.custody().map(KeyCustody::name).orElse(null);
    }

    /**
     * The material of a key the store recorded as held by the custody {@code name}: found there by its kid when it
     * first signs, so reading the ring does not ask the device.
     *
     * @param configured the custody this service uses, or {@code null} if it uses none
     * @throws StoreException if the service has another custody, or the custody does not hold the key
     */
    public static KeyMaterial inCustody(KeyCustody configured, String name, KeyMetadata metadata, byte[] publicKey) {
        if (configured == null || !configured.name().equals(name)) {
            throw new StoreException("Key '" + metadata.kid() + "' (" + metadata.state() + ") is held in custody '"
                    + name + "' (a PKCS#11 token), but this service " + (configured == null ? "keeps keys in software"
                            : "uses custody '" + configured.name() + "'")
                    + ": set keyring.custody.type=" + name + " and point it at the token.");
        }
        try {
            PublicKey recorded = publicKey == null ? null : publicKey(metadata.algorithm(), publicKey);
            return KeyMaterial.held(configured, metadata.kid(), metadata.algorithm(), recorded);
        } catch (GeneralSecurityException e) {
            throw new StoreException("The recorded public key of key '" + metadata.kid() + "' is damaged.", e);
        }
    }

    /** The X.509 encoding of the public key, or {@code null} for HMAC secrets. */
    public static byte[] publicBytes(KeyMaterial material) {
        return material.algorithm().symmetric() ? null : material.publicKey().getEncoded();
    }

    /** Key material from its stored parts. */
    public static KeyMaterial material(SigningAlgorithm algorithm, byte[] secret, byte[] publicKey)
            throws GeneralSecurityException {
        if (algorithm.symmetric()) {
            return KeyMaterial.symmetric(algorithm, new SecretKeySpec(secret, algorithm.jcaMacName()));
        }
        KeyFactory factory = KeyFactory.getInstance(jcaKeyAlgorithm(algorithm));
        PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(secret));
        return KeyMaterial.asymmetric(algorithm, privateKey, publicKey(algorithm, publicKey));
    }

    /** A public key from its X.509 SubjectPublicKeyInfo encoding, as a key of the JDK's own providers. */
    public static PublicKey publicKey(SigningAlgorithm algorithm, byte[] encoded) throws GeneralSecurityException {
        return KeyFactory.getInstance(jcaKeyAlgorithm(algorithm)).generatePublic(new X509EncodedKeySpec(encoded));
    }

    /** The JCA key algorithm of a key family: {@code EC}, {@code RSA}, {@code Ed25519}, or the HMAC name. */
    public static String jcaKeyAlgorithm(SigningAlgorithm algorithm) {
        return switch (algorithm.family()) {
            case EC -> "EC";
            case RSA -> "RSA";
            case OKP -> "Ed25519";
            case OCT -> algorithm.jcaMacName();
        };
    }
}
