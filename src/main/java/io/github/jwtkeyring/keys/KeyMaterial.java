package io.github.jwtkeyring.keys;

import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.NamedParameterSpec;
import java.util.Objects;

import javax.crypto.SecretKey;

/**
 * The secret part of a key together with its verification part, checked against the algorithm it serves.
 * <p>
 * Deliberately without {@code equals}, {@code hashCode} or a revealing {@code toString()}: material must never be
 * printed, logged or used as a map key.
 */
public final class KeyMaterial {

    private final SigningAlgorithm algorithm;
    private final Key signingKey;
    private final Key verificationKey;

    private KeyMaterial(SigningAlgorithm algorithm, Key signingKey, Key verificationKey) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
        this.verificationKey = Objects.requireNonNull(verificationKey, "verificationKey");
    }

    /**
     * An asymmetric key pair.
     *
     * @throws KeyringException if the pair does not fit the algorithm (wrong family, curve or a too small modulus)
     */
    public static KeyMaterial asymmetric(SigningAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey) {
        if (algorithm.symmetric()) {
            throw new KeyringException(algorithm + " takes a shared secret, not a key pair.");
        }
        checkPublicKey(algorithm, publicKey);
        KeyPairCheck.requireMatching(algorithm, privateKey, publicKey);
        return new KeyMaterial(algorithm, privateKey, publicKey);
    }

    /**
     * An HMAC secret.
     *
     * @throws KeyringException if the secret is shorter than the hash output (RFC 7518 §3.2)
     */
    public static KeyMaterial symmetric(SigningAlgorithm algorithm, SecretKey secret) {
        if (!algorithm.symmetric()) {
            throw new KeyringException(algorithm + " takes a key pair, not a shared secret.");
        }
        byte[] encoded = secret.getEncoded();
        int bits = encoded == null ? 0 : encoded.length * 8;
        if (bits < algorithm.minKeyBits()) {
            throw new KeyringException("An " + algorithm + " secret must have at least " + algorithm.minKeyBits()
                    + " bits; this one has " + bits + ".");
        }
        return new KeyMaterial(algorithm, secret, secret);
    }

    private static void checkPublicKey(SigningAlgorithm algorithm, PublicKey key) {
        boolean fits = switch (algorithm.family()) {
            case EC -> key instanceof ECPublicKey ec && KeyPairCheck.isP256(ec.getParams());
            case RSA -> key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= algorithm.minKeyBits();
            case OKP -> key instanceof EdECPublicKey ed
                    && NamedParameterSpec.ED25519.getName().equalsIgnoreCase(ed.getParams().getName());
            case OCT -> false;
        };
        if (!fits) {
            throw new KeyringException("A " + key.getAlgorithm() + " public key does not fit " + algorithm
                    + (algorithm.family() == SigningAlgorithm.KeyFamily.RSA
                            ? " (RSA keys need a modulus of at least " + algorithm.minKeyBits() + " bits)."
                            : "."));
        }
    }

    /** The algorithm this material serves. */
    public SigningAlgorithm algorithm() {
        return algorithm;
    }

    /** The private key or HMAC secret. */
    public Key signingKey() {
        return signingKey;
    }

    /** The public key, or the HMAC secret itself for symmetric algorithms. */
    public Key verificationKey() {
        return verificationKey;
    }

    /** The public key of an asymmetric pair; empty-handed callers of a symmetric key get an exception. */
    public PublicKey publicKey() {
        if (verificationKey instanceof PublicKey publicKey) {
            return publicKey;
        }
        throw new KeyringException("An " + algorithm + " key has no public part.");
    }

    @Override
    public String toString() {
        return "KeyMaterial[" + algorithm + ", redacted]";
    }
}
