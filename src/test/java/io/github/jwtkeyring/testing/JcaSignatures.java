package io.github.jwtkeyring.testing;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

import io.github.jwtkeyring.keys.SigningAlgorithm;

/**
 * The plain JCA signature engine of each asymmetric JWS algorithm, so tests can check key material without jose4j.
 */
public final class JcaSignatures {

    private JcaSignatures() {
    }

    /** A fresh engine for {@code algorithm}; HMAC algorithms are refused. */
    public static Signature of(SigningAlgorithm algorithm) throws GeneralSecurityException {
        return switch (algorithm) {
            case ES256 -> Signature.getInstance("SHA256withECDSA");
            case RS256 -> Signature.getInstance("SHA256withRSA");
            case PS256 -> {
                Signature pss = Signature.getInstance("RSASSA-PSS");
                pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                yield pss;
            }
            case EDDSA -> Signature.getInstance("Ed25519");
            case HS256, HS384, HS512 -> throw new IllegalArgumentException(algorithm + " is a MAC");
        };
    }
}
