package io.github.jwtkeyring.keys;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

import javax.crypto.Mac;

/**
 * Computes JWS signatures (RFC 7518 §3) in their final form: ECDSA as R‖S (P1363), RSASSA-PSS with SHA-256, MGF1 and a
 * 32-byte salt, HMAC over the whole hash output. Uses the key's own provider when the key lives on a device, the JDK's
 * providers otherwise.
 */
final class JcaSigner {

    /** The RSASSA-PSS parameters of PS256 (RFC 7518 §3.5). */
    static final PSSParameterSpec PS256 = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32,
            PSSParameterSpec.TRAILER_FIELD_BC);

    private JcaSigner() {
    }

    /**
     * @throws KeyringException if the provider refuses; its message names neither key bytes nor the input
     */
    static byte[] sign(SigningAlgorithm algorithm, Key key, Provider provider, byte[] input) {
        try {
            if (algorithm.symmetric()) {
                Mac mac = provider == null ? Mac.getInstance(algorithm.jcaMacName())
                        : Mac.getInstance(algorithm.jcaMacName(), provider);
                mac.init(key);
                return mac.doFinal(input);
            }
            Signature signer = signature(jcaName(algorithm), provider);
            if (algorithm == SigningAlgorithm.PS256) {
                signer.setParameter(PS256);
            }
            signer.initSign((PrivateKey) key, SecureRandoms.forThisThread());
            signer.update(input);
            return signer.sign();
        } catch (GeneralSecurityException | ProviderException e) {
            throw new SigningFailedException(algorithm, e);
        }
    }

    /** The JCA signature name of an asymmetric algorithm, in the JWS form of its signatures. */
    static String jcaName(SigningAlgorithm algorithm) {
        return switch (algorithm) {
            case ES256 -> "SHA256withECDSAinP1363Format";
            case EDDSA -> "Ed25519";
            case RS256 -> "SHA256withRSA";
            case PS256 -> "RSASSA-PSS";
            default -> throw new IllegalArgumentException(algorithm + " is not an asymmetric algorithm");
        };
    }

    static Signature signature(String name, Provider provider) throws GeneralSecurityException {
        return provider == null ? Signature.getInstance(name) : Signature.getInstance(name, provider);
    }
}
