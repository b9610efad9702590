package io.github.jwtkeyring.keys;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

import javax.crypto.spec.SecretKeySpec;

/**
 * Generates keys with the JDK's default providers and a {@link SecureRandom}: P-256 for ES256, RSA moduli of
 * {@code rsaKeyBits} for RS256/PS256, Ed25519 for EdDSA and hash-length secrets for HMAC.
 */
public final class JdkKeyGenerator implements KeyGenerator {

    private final SecureRandom random;
    private final int rsaKeyBits;

    /**
     * @param rsaKeyBits modulus size of new RSA keys; at least 2048
     */
    public JdkKeyGenerator(SecureRandom random, int rsaKeyBits) {
        if (rsaKeyBits < SigningAlgorithm.RS256.minKeyBits()) {
            throw new KeyringException("RSA keys need at least 2048 bits; " + rsaKeyBits + " was asked for.");
        }
        this.random = random;
        this.rsaKeyBits = rsaKeyBits;
    }

    @Override
    public KeyMaterial generate(SigningAlgorithm algorithm) {
        try {
            return switch (algorithm.family()) {
                case EC -> pair(algorithm, "EC", g -> g.initialize(new ECGenParameterSpec("secp256r1"), random));
                case RSA -> pair(algorithm, "RSA", g -> g.initialize(rsaKeyBits, random));
                case OKP -> pair(algorithm, "Ed25519", g -> g.initialize(255, random));
                case OCT -> secret(algorithm);
            };
        } catch (GeneralSecurityException e) {
            throw new KeyringException("The JDK could not generate an " + algorithm + " key.", e);
        }
    }

    private interface Init {
        void apply(KeyPairGenerator generator) throws GeneralSecurityException;
    }

    private static KeyMaterial pair(SigningAlgorithm algorithm, String jcaName, Init init)
            throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(jcaName);
        init.apply(generator);
        KeyPair pair = generator.generateKeyPair();
        return KeyMaterial.asymmetric(algorithm, pair.getPrivate(), pair.getPublic());
    }

    private KeyMaterial secret(SigningAlgorithm algorithm) {
        byte[] bytes = new byte[algorithm.minKeyBits() / 8];
        random.nextBytes(bytes);
        return KeyMaterial.symmetric(algorithm, new SecretKeySpec(bytes, algorithm.jcaMacName()));
    }
}
