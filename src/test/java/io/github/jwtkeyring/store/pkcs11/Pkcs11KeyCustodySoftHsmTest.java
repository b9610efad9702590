package io.github.jwtkeyring.store.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;

import javax.crypto.Mac;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.jwtkeyring.keys.KeyMaterial;
import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.store.KeyEncodings;
import io.github.jwtkeyring.testing.SoftHsm;

/** The PKCS#11 custody on a real SoftHSM2 token. */
class Pkcs11KeyCustodySoftHsmTest {

    private static final byte[] INPUT = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9".getBytes(StandardCharsets.US_ASCII);
    private static SoftHsm.Token token;
    private static Pkcs11KeyCustody custody;

    @BeforeAll
    static void token() {
        token = SoftHsm.token("custody-test", "4321");
        custody = Pkcs11KeyCustody.open(token.pkcs11Slot(), token.pin().toCharArray(), 2048, "jk-");
    }

    @AfterAll
    static void close() {
        custody.close();
    }

    /** A second view of the same token, as a restarted process has (the library is initialised once per JVM). */
    private static Pkcs11KeyCustody reopened() {
        return Pkcs11KeyCustody.open(token.pkcs11Slot(), token.pin().toCharArray(), 2048, "jk-");
    }

    @ParameterizedTest
    @EnumSource(value = SigningAlgorithm.class, names = { "ES256", "RS256", "PS256", "HS256", "HS384", "HS512" })
    void generate_makesAKeyOnTheTokenThatSignsThereAndNeverLeavesIt(SigningAlgorithm algorithm) throws Exception {
        KeyMaterial material = custody.generate(algorithm);
        String kid = material.custodyLabel().orElseThrow();

        assertThat(material.signingKey().getEncoded()).as("the secret part is not extractable").isNull();
        assertThat(material.signingKey().toString()).contains("token object", "sensitive", "unextractable");
        assertThat(material.toString()).isEqualTo("KeyMaterial[" + algorithm + ", in pkcs11, redacted]");
        assertThat(reopened().kids()).contains(kid);

        byte[] signature = material.sign(INPUT);
        if (algorithm.symmetric()) {
            Mac mac = Mac.getInstance(algorithm.jcaMacName(), custody.provider());
            mac.init(material.verificationKey());
            assertThat(mac.doFinal(INPUT)).isEqualTo(signature).hasSize(algorithm.minKeyBits() / 8);
        } else {
            assertThat(softwareVerifies(algorithm, material, signature)).isTrue();
            assertThat(material.publicKey().getClass().getName()).doesNotContain("pkcs11");
        }
    }

    @Test
    void privateKeys_refuseEveryWayOut() throws Exception {
        KeyMaterial ec = custody.generate(SigningAlgorithm.ES256);
        KeyMaterial rsa = custody.generate(SigningAlgorithm.RS256);
        KeyFactory ecFactory = KeyFactory.getInstance("EC", custody.provider());
        KeyFactory rsaFactory = KeyFactory.getInstance("RSA", custody.provider());

        assertThatThrownBy(() -> ecFactory.getKeySpec(ec.signingKey(), ECPrivateKeySpec.class))
                .rootCause().hasMessageContaining("CKR_ATTRIBUTE_SENSITIVE");
        assertThatThrownBy(() -> rsaFactory.getKeySpec(rsa.signingKey(), RSAPrivateCrtKeySpec.class))
                .hasMessageContaining("sensitive");
        Signature software = Signature.getInstance("SHA256withECDSA", "SunEC");
        assertThatThrownBy(() -> software.initSign((java.security.PrivateKey) ec.signingKey()))
                .isInstanceOf(java.security.InvalidKeyException.class);
    }

    @ParameterizedTest
    @EnumSource(value = SigningAlgorithm.class, names = { "ES256", "PS256", "HS384" })
    void find_inAnotherSession_givesTheSameKey(SigningAlgorithm algorithm) throws Exception {
        KeyMaterial generated = custody.generate(algorithm);
        String kid = generated.custodyLabel().orElseThrow();
        byte[] publicKey = algorithm.symmetric() ? null : generated.publicKey().getEncoded();

        try (Pkcs11KeyCustody restarted = reopened()) {
            KeyMaterial found = found(restarted, kid, algorithm, publicKey);
            byte[] signature = found.sign(INPUT);
            if (algorithm.symmetric()) {
                assertThat(signature).isEqualTo(generated.sign(INPUT));
            } else {
                assertThat(found.publicKey().getEncoded()).isEqualTo(publicKey);
                assertThat(softwareVerifies(algorithm, generated, signature)).isTrue();
            }
        }
    }

    @Test
    void find_refusesAKeyThatIsNotTheRecordedOne() {
        KeyMaterial one = custody.generate(SigningAlgorithm.ES256);
        KeyMaterial other = custody.generate(SigningAlgorithm.ES256);
        try (Pkcs11KeyCustody restarted = reopened()) {
            assertThatThrownBy(() -> found(restarted, one.custodyLabel().orElseThrow(), SigningAlgorithm.ES256,
                    other.publicKey().getEncoded()))
                    .isInstanceOf(StoreException.class).hasMessageContaining("holds a different key");
            assertThatThrownBy(() -> found(restarted, "jk-no-such-kid", SigningAlgorithm.ES256,
                    one.publicKey().getEncoded()))
                    .isInstanceOf(StoreException.class).hasMessageContaining("is not on the PKCS#11 token");
        }
    }

    @Test
    void destroy_removesTheKeyFromTheToken() {
        KeyMaterial ec = custody.generate(SigningAlgorithm.ES256);
        KeyMaterial hmac = custody.generate(SigningAlgorithm.HS256);
        String ecKid = ec.custodyLabel().orElseThrow();
        String hmacKid = hmac.custodyLabel().orElseThrow();

        custody.destroy(ecKid);
        custody.destroy(hmacKid);
        custody.destroy("never-there");

        try (Pkcs11KeyCustody restarted = reopened()) {
            assertThat(restarted.kids()).doesNotContain(ecKid, hmacKid);
            assertThatThrownBy(() -> found(restarted, hmacKid, SigningAlgorithm.HS256, null))
                    .isInstanceOf(StoreException.class);
        }
        assertThatThrownBy(() -> hmac.sign(INPUT)).isInstanceOf(KeyringException.class);
    }

    @Test
    void open_withAWrongPin_saysSoAndDoesNotRetry() {
        // a token nobody has logged in to: SunPKCS11 skips the login when the token's session is logged in already
        SoftHsm.Token fresh = SoftHsm.token("wrong-pin-test", "5678");
        assertThatThrownBy(() -> Pkcs11KeyCustody.open(fresh.pkcs11Slot(), "0000".toCharArray(), 2048, "jk-"))
                .isInstanceOf(KeyringException.class).hasMessageContaining("the PIN is wrong")
                .hasMessageNotContaining("0000").hasMessageNotContaining(fresh.pin());
    }

    @Test
    void open_withAnUnknownSlotOrLibrary_namesTheFix() {
        assertThatThrownBy(() -> Pkcs11KeyCustody.open(new Pkcs11Slot(token.library(), 4242L, null),
                token.pin().toCharArray(), 2048, "jk-")).isInstanceOf(KeyringException.class)
                .hasMessageContaining("no initialised token").hasMessageContaining("softhsm2-util --show-slots");
        assertThatThrownBy(() -> Pkcs11KeyCustody.open(new Pkcs11Slot(Path.of("/nonexistent/libpkcs11.so"), 1L, null),
                token.pin().toCharArray(), 2048, "jk-")).isInstanceOf(KeyringException.class)
                .hasMessageContaining("does not exist").hasMessageContaining("softhsm2");
    }

    @Test
    void tokenLabel_findsTheOneTokenWithIt_andRefusesALabelTwoTokensShare() {
        assertThat(Pkcs11Slot.byTokenLabel(token.library(), token.label()).slotId()).isEqualTo(token.slot());

        SoftHsm.Token first = SoftHsm.token("shared-label", "1111");
        SoftHsm.Token second = SoftHsm.token("shared-label", "2222");
        assertThat(second.label()).isEqualTo(first.label());
        assertThatThrownBy(() -> Pkcs11Slot.byTokenLabel(second.library(), second.label()))
                .isInstanceOf(KeyringException.class).hasMessageContaining("names 2 tokens")
                .hasMessageContaining(Long.toString(first.slot()));
        assertThatThrownBy(() -> Pkcs11Slot.byTokenLabel(second.library(), "no-such-label"))
                .hasMessageContaining("names 0 tokens");
    }

    @Test
    void eddsa_isRefusedWithWhatToChooseInstead() {
        assertThatThrownBy(() -> custody.requireMechanisms(SigningAlgorithm.EDDSA))
                .hasMessageContaining("SunPKCS11").hasMessageContaining("keyring.algorithm=ES256");
    }

    /** The key {@code kid} of {@code custody}, as a ring read from its store refers to it, looked up on the token. */
    private static KeyMaterial found(Pkcs11KeyCustody custody, String kid, SigningAlgorithm algorithm,
            byte[] publicKey) throws java.security.GeneralSecurityException {
        KeyMaterial material = KeyMaterial.held(custody, kid, algorithm,
                publicKey == null ? null : KeyEncodings.publicKey(algorithm, publicKey));
        material.signingKey();
        return material;
    }

    private static boolean softwareVerifies(SigningAlgorithm algorithm, KeyMaterial material, byte[] signature)
            throws Exception {
        Signature verifier = switch (algorithm) {
            case ES256 -> Signature.getInstance("SHA256withECDSAinP1363Format", "SunEC");
            case RS256 -> Signature.getInstance("SHA256withRSA", "SunRsaSign");
            default -> Signature.getInstance("RSASSA-PSS", "SunRsaSign");
        };
        if (algorithm == SigningAlgorithm.PS256) {
            verifier.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        }
        verifier.initVerify(material.publicKey());
        verifier.update(INPUT);
        return verifier.verify(signature);
    }
}
