package io.github.jwtkeyring.verify;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

import javax.crypto.Mac;

import io.github.jwtkeyring.keys.SigningAlgorithm;

/**
 * Checks a JWS signature with the JDK's providers (RFC 7518 §3), after checking its length exactly: the JDK accepts
 * some wrong-length signatures (an Ed25519 signature with a trailing byte on JDK 17; P1363 ECDSA signatures of other
 * lengths, as Wycheproof shows), and a JWS has exactly one valid length per key. HMAC values are compared in constant
 * time over their full length; truncated MACs are not JWS (RFC 7518 §3.2).
 */
final class JcaSignatures {

    private static final PSSParameterSpec PS256 = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
            32, PSSParameterSpec.TRAILER_FIELD_BC);

    private JcaSignatures() {
    }

    /**
     * Whether {@code signature} is {@code algorithm}'s signature of {@code signingInput} under {@code key} (the public
     * key, or the HMAC secret). Any failure of the provider counts as an invalid signature.
     *
     * @param provider the provider of an HMAC secret held on a device, {@code null} for the JDK's own; public keys are
     *        always checked by the JDK, never by a device
     */
    static boolean valid(SigningAlgorithm algorithm, Key key, Provider provider, byte[] signingInput,
            byte[] signature) {
        try {
            if (algorithm.symmetric()) {
                return validMac(algorithm, key, provider, signingInput, signature);
            }
            if (!(key instanceof PublicKey publicKey) || signature.length != signatureLength(algorithm, key)) {
                return false;
            }
            Signature verifier = switch (algorithm) {
                case ES256 -> Signature.getInstance("SHA256withECDSAinP1363Format");
                case EDDSA -> Signature.getInstance("Ed25519");
                case RS256 -> Signature.getInstance("SHA256withRSA");
                case PS256 -> Signature.getInstance("RSASSA-PSS");
                default -> throw new IllegalStateException("no signature algorithm for " + algorithm);
            };
            if (algorithm == SigningAlgorithm.PS256) {
                verifier.setParameter(PS256);
            }
            verifier.initVerify(publicKey);
            verifier.update(signingInput);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | ProviderException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The one length of a valid signature: twice the size of the curve order for ECDSA (RFC 7518 §3.4), 64 bytes for
     * Ed25519 (RFC 8032 §5.1.6), the modulus length for RSA (RFC 8017 §8.1.2, §8.2.2), the full hash output for HMAC
     * (RFC 7518 §3.2).
     */
    static int signatureLength(SigningAlgorithm algorithm, Key key) {
        return switch (algorithm.family()) {
            case EC -> key instanceof ECKey ec ? 2 * bytes(ec.getParams().getOrder().bitLength()) : -1;
            case OKP -> 64;
            case RSA -> key instanceof RSAKey rsa ? bytes(rsa.getModulus().bitLength()) : -1;
            case OCT -> algorithm.minKeyBits() / 8;
        };
    }

    private static boolean validMac(SigningAlgorithm algorithm, Key key, Provider provider, byte[] signingInput,
            byte[] signature) throws GeneralSecurityException {
        if (signature.length != signatureLength(algorithm, key)) {
            return false;
        }
        Mac mac = provider == null ? Mac.getInstance(algorithm.jcaMacName())
                : Mac.getInstance(algorithm.jcaMacName(), provider);
        mac.init(key);
        return MessageDigest.isEqual(mac.doFinal(signingInput), signature);
    }

    private static int bytes(int bits) {
        return (bits + 7) / 8;
    }
}
