package io.github.jwtkeyring.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

import javax.crypto.Mac;

import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.SigningAlgorithm;

/**
 * Compact JWS built byte by byte and signed with a ring's own key, so tests can craft exactly the header, payload and
 * signature a hostile or buggy signer would: duplicate member names, odd encodings, signatures of the wrong length.
 */
public final class RawTokens {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private RawTokens() {
    }

    /** {@code s} in unpadded base64url. */
    public static String b64(byte[] bytes) {
        return B64URL.encodeToString(bytes);
    }

    /** The UTF-8 of {@code s} in unpadded base64url. */
    public static String b64(String s) {
        return b64(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code segment} with the lowest unused bit of its last character set (the same bytes to a lenient decoder, not
     * the canonical encoding), or with a trailing 'A' if it has no unused bits.
     */
    public static String withUnusedBitSet(String segment) {
        if (segment.length() % 4 == 0) {
            return segment + "A";
        }
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(segment.charAt(segment.length() - 1));
        return segment.substring(0, segment.length() - 1) + alphabet.charAt(last | 1);
    }

    /** {@code header.payload.signature}, with {@code key}'s signature of the first two segments. */
    public static String signed(ManagedKey key, String headerJson, String payloadJson) {
        return signed(key, b64(headerJson) + "." + b64(payloadJson));
    }

    /** {@code signingInput.signature}, with {@code key}'s signature of {@code signingInput}. */
    public static String signed(ManagedKey key, String signingInput) {
        return signingInput + "." + b64(signature(key, signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    /** {@code key}'s JWS signature (RFC 7518 §3) of {@code input}: P1363 for ECDSA, the full MAC for HMAC. */
    public static byte[] signature(ManagedKey key, byte[] input) {
        SigningAlgorithm algorithm = key.algorithm();
        try {
            if (algorithm.symmetric()) {
                Mac mac = Mac.getInstance(algorithm.jcaMacName());
                mac.init(key.requireMaterial().signingKey());
                return mac.doFinal(input);
            }
            Signature signer = algorithm == SigningAlgorithm.ES256
                    ? Signature.getInstance("SHA256withECDSAinP1363Format")
                    : JcaSignatures.of(algorithm);
            signer.initSign((PrivateKey) key.requireMaterial().signingKey());
            signer.update(input);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
