package io.github.jwtkeyring.keys;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The JWS algorithms a key ring can sign with (RFC 7518 §3, RFC 8037 for EdDSA). A key is bound to exactly one of them
 * for its whole life.
 */
public enum SigningAlgorithm {
    /** ECDSA with P-256 and SHA-256 (RFC 7518 §3.4). The default. */
    ES256("ES256", KeyFamily.EC, 256),
    /** RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3); moduli of 2048 bits or more. */
    RS256("RS256", KeyFamily.RSA, 2048),
    /** RSASSA-PSS with SHA-256 and MGF1 (RFC 7518 §3.5); moduli of 2048 bits or more. */
    PS256("PS256", KeyFamily.RSA, 2048),
    /** EdDSA with Ed25519 (RFC 8037 §3.1). */
    EDDSA("EdDSA", KeyFamily.OKP, 256),
    /** HMAC with SHA-256 (RFC 7518 §3.2); secrets of at least 32 bytes. */
    HS256("HS256", KeyFamily.OCT, 256),
    /** HMAC with SHA-384; secrets of at least 48 bytes. */
    HS384("HS384", KeyFamily.OCT, 384),
    /** HMAC with SHA-512; secrets of at least 64 bytes. */
    HS512("HS512", KeyFamily.OCT, 512);

    /** The kind of key an algorithm takes, named as the JWK {@code kty} values of RFC 7518 §6.1. */
    public enum KeyFamily {
        EC,
        RSA,
        OKP,
        OCT
    }

    private final String joseName;
    private final KeyFamily family;
    private final int minKeyBits;

    SigningAlgorithm(String joseName, KeyFamily family, int minKeyBits) {
        this.joseName = joseName;
        this.family = family;
        this.minKeyBits = minKeyBits;
    }

    /** The {@code alg} header value. */
    public String joseName() {
        return joseName;
    }

    /** The kind of key this algorithm takes. */
    public KeyFamily family() {
        return family;
    }

    /** The smallest key this algorithm accepts, in bits (modulus for RSA, secret length for HMAC). */
    public int minKeyBits() {
        return minKeyBits;
    }

    /** Whether keys of this algorithm are shared secrets, which are never published. */
    public boolean symmetric() {
        return family == KeyFamily.OCT;
    }

    /** The JCA name of the HMAC algorithm; only for symmetric algorithms. */
    public String jcaMacName() {
        return "HmacSHA" + name().substring(2);
    }

    /**
     * Parses an {@code alg} value or configuration string, case-insensitively.
     *
     * @throws KeyringException naming the accepted values when the name is not one of them
     */
    public static SigningAlgorithm fromJoseName(String name) {
        for (SigningAlgorithm algorithm : values()) {
            if (algorithm.joseName.equalsIgnoreCase(name)) {
                return algorithm;
            }
        }
        throw new KeyringException("'" + name + "' is not a supported signing algorithm; use one of "
                + Arrays.stream(values()).map(SigningAlgorithm::joseName).collect(Collectors.joining(", ")) + ".");
    }

    @Override
    public String toString() {
        return joseName;
    }
}
