package io.github.jwtkeyring.verify;

import java.security.Key;
import java.security.Provider;
import java.util.Map;
import java.util.Set;

import io.github.jwtkeyring.keys.KeyMaterial;
import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.SigningAlgorithm;

/**
 * The signature layer of verification: a canonical compact JWS ({@link CompactJws}) whose header holds only
 * {@value #ALLOWED_HEADERS_TEXT}, whose key the {@code kid} names in the ring with the {@code alg} that key signs with,
 * and whose signature is valid ({@link JcaSignatures}). Every other header member is refused, among them {@code crit},
 * {@code zip}, {@code cty}, {@code b64} and everything that carries or points to key material ({@code jwk},
 * {@code jku}, {@code x5u}, {@code x5c}, {@code x5t}, {@code x5t#S256}): tokens of the ring use none of them.
 */
final class JwsVerifier {

    static final String ALLOWED_HEADERS_TEXT = "alg, kid and typ";
    private static final Set<String> ALLOWED_HEADERS = Set.of("alg", "kid", "typ");

    /**
     * A JWS whose signature the ring's key verified.
     *
     * @param header the protected header: {@code alg}, {@code kid} and perhaps {@code typ}, all strings
     * @param payload the signed payload
     * @param key the ring's key that verified the signature
     */
    record VerifiedJws(Map<String, Object> header, byte[] payload, ManagedKey key) {

        /** The {@code typ} header, or {@code null}. */
        String type() {
            return (String) header.get("typ");
        }
    }

    private final int maxLength;

    /**
     * @param maxLength the longest token read at all, in characters
     */
    JwsVerifier(int maxLength) {
        this.maxLength = maxLength;
    }

    /**
     * Verifies the signature of {@code token} with the key of {@code ring} it names.
     *
     * @throws RejectedTokenException if the token is not canonical, its header is not allowed, its key is not in the
     *         ring (as a verifying key of the token's algorithm), or the signature does not verify
     */
    VerifiedJws verify(String token, KeyRing ring) {
        CompactJws jws = read(token);
        Map<String, Object> header = jws.header();
        ManagedKey key = RingKeyResolver.resolve(ring, (String) header.get("kid"), (String) header.get("alg"));
        KeyMaterial material = key.requireMaterial();
        Key verificationKey;
        Provider provider;
        try {
            verificationKey = material.verificationKey();
            provider = material.provider().orElse(null);
        } catch (KeyringException e) {
            // an HMAC key on a PKCS#11 token that cannot be reached now: the token cannot be checked
            throw new RejectedTokenException(RejectedTokenException.Reason.UNKNOWN_KEY,
                    "the token's key cannot be used now (" + e.getMessage() + ")", null);
        }
        checkSignature(jws, key.algorithm(), verificationKey, provider);
        return new VerifiedJws(header, jws.payload(), key);
    }

    /**
     * Reads {@code token}: canonical, no longer than allowed, with a {@code kid} and no header beyond the allowed ones,
     * each a string.
     *
     * @throws RejectedTokenException otherwise
     */
    CompactJws read(String token) {
        CompactJws jws = CompactJws.parse(token, maxLength);
        for (Map.Entry<String, Object> member : jws.header().entrySet()) {
            if (!ALLOWED_HEADERS.contains(member.getKey())) {
                throw new RejectedTokenException(RejectedTokenException.Reason.MALFORMED,
                        "the token has a " + RejectedTokenException.quote(member.getKey())
                                + " header; only " + ALLOWED_HEADERS_TEXT + " are allowed",
                        null);
            }
            if (!(member.getValue() instanceof String)) {
                throw new RejectedTokenException(RejectedTokenException.Reason.MALFORMED,
                        "the token's " + member.getKey() + " header is not a string", null);
            }
        }
        if (!jws.header().containsKey("kid")) {
            throw new RejectedTokenException(RejectedTokenException.Reason.MALFORMED, "the token has no kid header", null);
        }
        return jws;
    }

    /**
     * @throws RejectedTokenException unless the signature of {@code jws} is valid for {@code algorithm} and {@code key}
     */
    static void checkSignature(CompactJws jws, SigningAlgorithm algorithm, Key key) {
        checkSignature(jws, algorithm, key, null);
    }

    /**
     * @param provider the provider of a key held on a device (an HMAC secret on a PKCS#11 token), {@code null} for the
     *        JDK's own
     * @throws RejectedTokenException unless the signature of {@code jws} is valid for {@code algorithm} and {@code key}
     */
    static void checkSignature(CompactJws jws, SigningAlgorithm algorithm, Key key, Provider provider) {
        if (!JcaSignatures.valid(algorithm, key, provider, jws.signingInput(), jws.signature())) {
            throw new RejectedTokenException(RejectedTokenException.Reason.SIGNATURE,
                    "the signature does not verify with the token's key", null);
        }
    }
}
