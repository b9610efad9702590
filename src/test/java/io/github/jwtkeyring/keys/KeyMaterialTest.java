package io.github.jwtkeyring.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.jwtkeyring.testing.JcaSignatures;

class KeyMaterialTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final JdkKeyGenerator GENERATOR = new JdkKeyGenerator(RANDOM, 2048);
    private static final byte[] DATA = "header.payload".getBytes(StandardCharsets.US_ASCII);

    // --- JdkKeyGenerator

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void generate_producesMaterialThatSignsAndVerifiesForEveryAlgorithm(SigningAlgorithm algorithm)
            throws Exception {
        KeyMaterial material = GENERATOR.generate(algorithm);

        assertThat(material.algorithm()).isEqualTo(algorithm);
        if (algorithm.symmetric()) {
            assertThat(material.signingKey()).isSameAs(material.verificationKey());
            assertThat(material.signingKey().getEncoded()).hasSize(algorithm.minKeyBits() / 8);
            assertThat(mac(algorithm, material.signingKey(), DATA)).isEqualTo(mac(algorithm,
                    material.verificationKey(), DATA));
        } else {
            assertThat(material.signingKey()).isInstanceOf(PrivateKey.class);
            assertThat(material.publicKey()).isSameAs(material.verificationKey());
            assertThat(verify(algorithm, material.publicKey(), sign(algorithm, (PrivateKey) material.signingKey())))
                    .isTrue();
        }
    }

    @Test
    void generate_es256_isAP256Key() {
        ECPublicKey key = (ECPublicKey) GENERATOR.generate(SigningAlgorithm.ES256).publicKey();

        assertThat(key.getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(PublicJwk.members(key)).containsEntry("crv", "P-256");
    }

    @Test
    void generate_rs256_usesTheConfiguredModulusSize() {
        RSAPublicKey key = (RSAPublicKey) new JdkKeyGenerator(RANDOM, 3072).generate(SigningAlgorithm.RS256)
                .publicKey();

        assertThat(key.getModulus().bitLength()).isEqualTo(3072);
    }

    @Test
    void generate_eddsa_isAnEd25519Key() {
        EdECPublicKey key = (EdECPublicKey) GENERATOR.generate(SigningAlgorithm.EDDSA).publicKey();

        assertThat(key.getParams().getName()).isEqualToIgnoringCase("Ed25519");
    }

    @Test
    void generate_twice_givesDifferentSecrets() {
        byte[] first = GENERATOR.generate(SigningAlgorithm.HS256).signingKey().getEncoded();
        byte[] second = GENERATOR.generate(SigningAlgorithm.HS256).signingKey().getEncoded();

        assertThat(first).isNotEqualTo(second);
    }

    @ParameterizedTest
    @ValueSource(ints = { 512, 1024, 2047 })
    void jdkKeyGenerator_withRsaModulusBelow2048_isRefused(int bits) {
        assertThatThrownBy(() -> new JdkKeyGenerator(RANDOM, bits))
                .isInstanceOf(KeyringException.class)
                .hasMessageContaining("2048");
    }

    // --- HMAC secrets

    @ParameterizedTest(name = "{0} with {1} bytes")
    @CsvSource({ "HS256, 31", "HS384, 47", "HS512, 63" })
    void symmetric_secretShorterThanTheHash_isRefused(SigningAlgorithm algorithm, int bytes) {
        SecretKey secret = secret(algorithm, bytes);

        assertThatThrownBy(() -> KeyMaterial.symmetric(algorithm, secret))
                .isInstanceOf(KeyringException.class)
                .hasMessageContaining(String.valueOf(algorithm.minKeyBits()));
    }

    @ParameterizedTest(name = "{0} with {1} bytes")
    @CsvSource({ "HS256, 32", "HS256, 64", "HS384, 48", "HS512, 64" })
    void symmetric_secretAtLeastAsLongAsTheHash_isAccepted(SigningAlgorithm algorithm, int bytes) {
        SecretKey secret = secret(algorithm, bytes);

        KeyMaterial material = KeyMaterial.symmetric(algorithm, secret);

        assertThat(material.signingKey()).isSameAs(secret);
        assertThat(material.verificationKey()).isSameAs(secret);
    }

    @Test
    void symmetric_forAsymmetricAlgorithm_isRefused() {
        assertThatThrownBy(() -> KeyMaterial.symmetric(SigningAlgorithm.ES256, secret(SigningAlgorithm.HS256, 32)))
                .isInstanceOf(KeyringException.class);
    }

    @Test
    void publicKey_ofHmacMaterial_isRefused() {
        KeyMaterial material = GENERATOR.generate(SigningAlgorithm.HS256);

        assertThatThrownBy(material::publicKey).isInstanceOf(KeyringException.class);
    }

    // --- key pairs

    @ParameterizedTest
    @EnumSource(value = SigningAlgorithm.class, names = { "RS256", "PS256" })
    void asymmetric_rsaKeyBelow2048Bits_isRefused(SigningAlgorithm algorithm) throws Exception {
        KeyPair pair = pair("RSA", 1024);

        assertThatThrownBy(() -> KeyMaterial.asymmetric(algorithm, pair.getPrivate(), pair.getPublic()))
                .isInstanceOf(KeyringException.class)
                .hasMessageContaining("2048");
    }

    @Test
    void asymmetric_rsaKeyOf2048Bits_isAccepted() throws Exception {
        KeyPair pair = pair("RSA", 2048);

        KeyMaterial material = KeyMaterial.asymmetric(SigningAlgorithm.RS256, pair.getPrivate(), pair.getPublic());

        assertThat(material.publicKey()).isSameAs(pair.getPublic());
        assertThat(material.signingKey()).isSameAs(pair.getPrivate());
    }

    @Test
    void asymmetric_ecKeyForEdDsa_isRefused() throws Exception {
        KeyPair ec = ecPair("secp256r1");

        assertThatThrownBy(() -> KeyMaterial.asymmetric(SigningAlgorithm.EDDSA, ec.getPrivate(), ec.getPublic()))
                .isInstanceOf(KeyringException.class)
                .hasMessageContaining("EdDSA");
    }

    @Test
    void asymmetric_ed25519KeyForEs256_isRefused() throws Exception {
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

        assertThatThrownBy(() -> KeyMaterial.asymmetric(SigningAlgorithm.ES256, ed.getPrivate(), ed.getPublic()))
                .isInstanceOf(KeyringException.class);
    }

    @Test
    void asymmetric_ed448KeyForEdDsa_isRefused() throws Exception {
        KeyPair ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();

        assertThatThrownBy(() -> KeyMaterial.asymmetric(SigningAlgorithm.EDDSA, ed448.getPrivate(),
                ed448.getPublic())).isInstanceOf(KeyringException.class);
    }

    @Test
    void asymmetric_p384KeyForEs256_isRefused() throws Exception {
        KeyPair p384 = ecPair("secp384r1");

        assertThatThrownBy(() -> KeyMaterial.asymmetric(SigningAlgorithm.ES256, p384.getPrivate(),
                p384.getPublic())).isInstanceOf(KeyringException.class);
    }

    @Test
    void asymmetric_keyPairForHmac_isRefused() throws Exception {
        KeyPair ec = ecPair("secp256r1");

        assertThatThrownBy(() -> KeyMaterial.asymmetric(SigningAlgorithm.HS256, ec.getPrivate(), ec.getPublic()))
                .isInstanceOf(KeyringException.class);
    }

    @Test
    void asymmetric_rsaKeyForEs256_isRefused() throws Exception {
        KeyPair rsa = pair("RSA", 2048);

        assertThatThrownBy(() -> KeyMaterial.asymmetric(SigningAlgorithm.ES256, rsa.getPrivate(), rsa.getPublic()))
                .isInstanceOf(KeyringException.class);
    }

    @Test
    void toString_isRedacted() {
        KeyMaterial material = GENERATOR.generate(SigningAlgorithm.HS256);

        assertThat(material.toString()).contains("HS256", "redacted");
    }

    // --- helpers

    private static SecretKey secret(SigningAlgorithm algorithm, int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return new SecretKeySpec(value, algorithm.jcaMacName());
    }

    private static KeyPair pair(String algorithm, int bits) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(bits, RANDOM);
        return generator.generateKeyPair();
    }

    private static KeyPair ecPair(String curve) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve), RANDOM);
        return generator.generateKeyPair();
    }

    private static byte[] mac(SigningAlgorithm algorithm, java.security.Key key, byte[] data)
            throws GeneralSecurityException {
        Mac mac = Mac.getInstance(algorithm.jcaMacName());
        mac.init(key);
        return mac.doFinal(data);
    }

    private static Signature signature(SigningAlgorithm algorithm) throws GeneralSecurityException {
        return JcaSignatures.of(algorithm);
    }

    private static byte[] sign(SigningAlgorithm algorithm, PrivateKey key) throws GeneralSecurityException {
        Signature signer = signature(algorithm);
        signer.initSign(key);
        signer.update(DATA);
        return signer.sign();
    }

    private static boolean verify(SigningAlgorithm algorithm, PublicKey key, byte[] signature)
            throws GeneralSecurityException {
        Signature verifier = signature(algorithm);
        verifier.initVerify(key);
        verifier.update(DATA);
        return verifier.verify(signature);
    }

    @Test
    void asymmetric_withHalvesOfTwoDifferentPairs_isRefused() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair one = generator.generateKeyPair();
        KeyPair other = generator.generateKeyPair();

        assertThatThrownBy(() -> KeyMaterial.asymmetric(SigningAlgorithm.ES256, one.getPrivate(), other.getPublic()))
                .isInstanceOf(KeyringException.class).hasMessageContaining("do not belong together");
    }

    @Test
    void asymmetric_withA256BitCurveOtherThanP256_isRefused() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        try {
            generator.initialize(new ECGenParameterSpec("secp256k1"));
        } catch (GeneralSecurityException e) {
            // this JDK no longer builds secp256k1 keys, so such a key cannot reach a ring either
            return;
        }
        KeyPair pair = generator.generateKeyPair();
        assertThatThrownBy(() -> KeyMaterial.asymmetric(SigningAlgorithm.ES256, pair.getPrivate(), pair.getPublic()))
                .isInstanceOf(KeyringException.class);
    }
}
