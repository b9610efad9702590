package io.github.jwtkeyring.keys;

import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;

/**
 * Checks that key pairs are what they claim: the P-256 curve for ES256, and halves that belong together.
 */
final class KeyPairCheck {

    private static final byte[] PROBE = "jwt-keyring key pair check".getBytes(StandardCharsets.US_ASCII);
    private static final ECParameterSpec P256 = p256();

    private KeyPairCheck() {
    }

    /** Whether {@code params} are those of NIST P-256 (secp256r1), not merely some 256-bit curve. */
    static boolean isP256(ECParameterSpec params) {
        return params.getCurve().equals(P256.getCurve()) && params.getGenerator().equals(P256.getGenerator())
                && params.getOrder().equals(P256.getOrder()) && params.getCofactor() == P256.getCofactor();
    }

    /**
     * Signs a probe with the private key (with {@code provider}, or the JDK's defaults if {@code null}) and verifies
     * it with the public key.
     *
     * @throws KeyringException if they do not belong together
     */
    static void requireMatching(SigningAlgorithm algorithm, PrivateKey privateKey, Provider provider,
            PublicKey publicKey) {
        String jcaName = switch (algorithm.family()) {
            case EC -> "SHA256withECDSA";
            case RSA -> "SHA256withRSA";
            case OKP -> "Ed25519";
            case OCT -> throw new KeyringException(algorithm + " takes a shared secret, not a key pair.");
        };
        boolean matches;
        try {
            Signature signer = JcaSigner.signature(jcaName, provider);
            signer.initSign(privateKey);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(jcaName);
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new KeyringException("The private and public halves given for an " + algorithm
                    + " key do not form a usable pair (" + e.getClass().getSimpleName() + ").", e);
        }
        if (!matches) {
            throw new KeyringException("The private and public halves given for an " + algorithm
                    + " key do not belong together.");
        }
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new KeyringException("This JDK does not know the P-256 curve.", e);
        }
    }
}
