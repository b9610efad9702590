package io.github.jwtkeyring.keys;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The public members of a JWK (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2) and its RFC 7638 thumbprint, computed with the
 * JDK alone.
 */
public final class PublicJwk {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private PublicJwk() {
    }

    /**
     * The required public members of the key's JWK, in the lexicographic order RFC 7638 §3.2 asks for
     * ({@code kty} plus {@code crv}/{@code x}/{@code y}, {@code n}/{@code e}, or {@code crv}/{@code x}).
     */
    public static Map<String, String> members(PublicKey key) {
        Map<String, String> jwk = new LinkedHashMap<>();
        if (key instanceof ECPublicKey ec) {
            int size = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
            jwk.put("crv", "P-" + ec.getParams().getCurve().getField().getFieldSize());
            jwk.put("kty", "EC");
            jwk.put("x", B64URL.encodeToString(fixed(ec.getW().getAffineX(), size)));
            jwk.put("y", B64URL.encodeToString(fixed(ec.getW().getAffineY(), size)));
        } else if (key instanceof RSAPublicKey rsa) {
            jwk.put("e", B64URL.encodeToString(unsigned(rsa.getPublicExponent())));
            jwk.put("kty", "RSA");
            jwk.put("n", B64URL.encodeToString(unsigned(rsa.getModulus())));
        } else if (key instanceof EdECPublicKey ed && "Ed25519".equalsIgnoreCase(ed.getParams().getName())) {
            byte[] spki = key.getEncoded();
            jwk.put("crv", "Ed25519");
            jwk.put("kty", "OKP");
            jwk.put("x", B64URL.encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length)));
        } else {
            throw new KeyringException("A " + key.getAlgorithm() + " public key cannot be written as a JWK.");
        }
        return jwk;
    }

    /** The RFC 7638 JWK thumbprint with SHA-256, base64url-encoded without padding. */
    public static String thumbprint(PublicKey key) {
        StringBuilder json = new StringBuilder("{");
        members(key).forEach((name, value) -> json.append(json.length() > 1 ? "," : "")
                .append('"').append(name).append("\":\"").append(value).append('"'));
        json.append('}');
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.toString().getBytes(StandardCharsets.UTF_8));
            return B64URL.encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new KeyringException("SHA-256 is missing from this JDK.", e);
        }
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static byte[] fixed(BigInteger value, int size) {
        byte[] bytes = unsigned(value);
        byte[] out = new byte[size];
        System.arraycopy(bytes, 0, out, size - bytes.length, bytes.length);
        return out;
    }
}
