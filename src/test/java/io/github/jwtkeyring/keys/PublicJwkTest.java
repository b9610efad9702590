package io.github.jwtkeyring.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

class PublicJwkTest {

    /** RFC 7638 §3.1: the example RSA key and its SHA-256 thumbprint. */
    private static final String RFC7638_N = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    private static final String RFC7638_E = "AQAB";
    private static final String RFC7638_THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

    /** RFC 8037 Appendix A.2/A.3: the example Ed25519 public key and its thumbprint. */
    private static final String RFC8037_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
    private static final String RFC8037_THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k";

    /** RFC 7517 Appendix A.1: the example P-256 public key. */
    private static final String RFC7517_X = "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4";
    private static final String RFC7517_Y = "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM";

    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), followed by the 32-byte key. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void thumbprint_ofRfc7638ExampleKey_matchesTheRfc() throws Exception {
        PublicKey key = rsa(RFC7638_N, RFC7638_E);

        assertThat(PublicJwk.thumbprint(key)).isEqualTo(RFC7638_THUMBPRINT);
    }

    @Test
    void members_ofRsaKey_areEKtyAndNInLexicographicOrder() throws Exception {
        Map<String, String> members = PublicJwk.members(rsa(RFC7638_N, RFC7638_E));

        assertThat(members).containsExactly(
                Map.entry("e", RFC7638_E), Map.entry("kty", "RSA"), Map.entry("n", RFC7638_N));
    }

    @Test
    void members_ofGeneratedRsaKey_haveNoSignByteInModulus() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, RANDOM);

        Map<String, String> members = PublicJwk.members(generator.generateKeyPair().getPublic());

        assertThat(decode(members.get("n"))).hasSize(256);
        assertThat(members.get("e")).isEqualTo("AQAB");
    }

    @Test
    void thumbprint_ofRfc8037ExampleKey_matchesTheRfc() throws Exception {
        PublicKey key = ed25519(decode(RFC8037_X));

        assertThat(PublicJwk.members(key)).containsExactly(
                Map.entry("crv", "Ed25519"), Map.entry("kty", "OKP"), Map.entry("x", RFC8037_X));
        assertThat(PublicJwk.thumbprint(key)).isEqualTo(RFC8037_THUMBPRINT);
    }

    @Test
    void members_ofRfc7517ExampleEcKey_giveBackItsCoordinates() throws Exception {
        PublicKey key = p256(new BigInteger(1, decode(RFC7517_X)), new BigInteger(1, decode(RFC7517_Y)));

        assertThat(PublicJwk.members(key)).containsExactly(
                Map.entry("crv", "P-256"), Map.entry("kty", "EC"), Map.entry("x", RFC7517_X),
                Map.entry("y", RFC7517_Y));
    }

    @Test
    void members_ofGeneratedP256Key_haveKtyCrvAnd32ByteCoordinates() throws Exception {
        ECPublicKey key = (ECPublicKey) generate("EC", new ECGenParameterSpec("secp256r1"));

        Map<String, String> members = PublicJwk.members(key);

        assertThat(members).containsOnlyKeys("crv", "kty", "x", "y");
        assertThat(members.get("kty")).isEqualTo("EC");
        assertThat(members.get("crv")).isEqualTo("P-256");
        assertThat(decode(members.get("x"))).hasSize(32);
        assertThat(decode(members.get("y"))).hasSize(32);
        assertThat(new BigInteger(1, decode(members.get("x")))).isEqualTo(key.getW().getAffineX());
        assertThat(new BigInteger(1, decode(members.get("y")))).isEqualTo(key.getW().getAffineY());
    }

    @Test
    void members_ofP256KeyWithShortX_padXToThirtyTwoBytes() throws Exception {
        ECPublicKey key = p256KeyWhere(k -> k.getW().getAffineX().bitLength() <= 248);

        byte[] x = decode(PublicJwk.members(key).get("x"));

        assertThat(x).hasSize(32);
        assertThat(x[0]).isZero();
        assertThat(new BigInteger(1, x)).isEqualTo(key.getW().getAffineX());
    }

    @Test
    void members_ofP256KeyWithShortY_padYToThirtyTwoBytes() throws Exception {
        ECPublicKey key = p256KeyWhere(k -> k.getW().getAffineY().bitLength() <= 248);

        byte[] y = decode(PublicJwk.members(key).get("y"));

        assertThat(y).hasSize(32);
        assertThat(y[0]).isZero();
        assertThat(new BigInteger(1, y)).isEqualTo(key.getW().getAffineY());
    }

    @Test
    void members_ofGeneratedEd25519Key_haveKtyCrvAndThe32ByteKey() throws Exception {
        PublicKey key = generate("Ed25519", null);

        Map<String, String> members = PublicJwk.members(key);

        assertThat(members).containsOnlyKeys("crv", "kty", "x");
        assertThat(members.get("kty")).isEqualTo("OKP");
        assertThat(members.get("crv")).isEqualTo("Ed25519");
        byte[] x = decode(members.get("x"));
        assertThat(x).hasSize(32);
        assertThat(ed25519(x)).isEqualTo(key);
    }

    @Test
    void thumbprint_ofTwoGeneratedKeys_differ() throws Exception {
        PublicKey first = generate("EC", new ECGenParameterSpec("secp256r1"));
        PublicKey second = generate("EC", new ECGenParameterSpec("secp256r1"));

        assertThat(PublicJwk.thumbprint(first)).isNotEqualTo(PublicJwk.thumbprint(second));
    }

    @Test
    void thumbprint_isStableAndA43CharacterBase64UrlSha256() throws Exception {
        PublicKey key = generate("Ed25519", null);

        String thumbprint = PublicJwk.thumbprint(key);

        assertThat(PublicJwk.thumbprint(key)).isEqualTo(thumbprint);
        assertThat(thumbprint).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(decode(thumbprint)).hasSize(32);
    }

    @Test
    void members_ofUnsupportedKeyType_isRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("DSA");
        generator.initialize(2048, RANDOM);
        PublicKey dsa = generator.generateKeyPair().getPublic();

        assertThatThrownBy(() -> PublicJwk.members(dsa))
                .isInstanceOf(KeyringException.class)
                .hasMessageContaining("DSA");
    }

    // --- helpers

    private static byte[] decode(String base64url) {
        return Base64.getUrlDecoder().decode(base64url);
    }

    private static PublicKey rsa(String n, String e) throws GeneralSecurityException {
        return KeyFactory.getInstance("RSA").generatePublic(
                new RSAPublicKeySpec(new BigInteger(1, decode(n)), new BigInteger(1, decode(e))));
    }

    private static PublicKey ed25519(byte[] x) throws GeneralSecurityException {
        byte[] spki = new byte[ED25519_SPKI_PREFIX.length + x.length];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(x, 0, spki, ED25519_SPKI_PREFIX.length, x.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }

    private static PublicKey p256(BigInteger x, BigInteger y) throws GeneralSecurityException {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), spec));
    }

    private static PublicKey generate(String algorithm, ECGenParameterSpec spec) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (spec != null) {
            generator.initialize(spec, RANDOM);
        }
        return generator.generateKeyPair().getPublic();
    }

    /** A generated P-256 key that satisfies {@code wanted}; a coordinate below 2^248 turns up about once in 256 keys. */
    private static ECPublicKey p256KeyWhere(Predicate<ECPublicKey> wanted) throws GeneralSecurityException {
        for (int attempt = 0; attempt < 20_000; attempt++) {
            ECPublicKey key = (ECPublicKey) generate("EC", new ECGenParameterSpec("secp256r1"));
            if (wanted.test(key)) {
                return key;
            }
        }
        throw new AssertionError("No suitable P-256 key in 20000 attempts");
    }
}
