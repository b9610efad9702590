package io.github.jwtkeyring.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/**
 * The test vectors of RFC 5869 Appendix A (cases 1 to 3, SHA-256); checked by hand against
 * {@code openssl kdf -kdfopt digest:SHA256 ... HKDF}.
 */
class HkdfTest {

    private static final HexFormat HEX = HexFormat.of();

    private static byte[] hex(String hex) {
        return HEX.parseHex(hex);
    }

    private static byte[] range(int fromInclusive, int toExclusive) {
        byte[] bytes = new byte[toExclusive - fromInclusive];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (fromInclusive + i);
        }
        return bytes;
    }

    @Test
    void expand_rfc5869TestCase1_basicSha256() {
        byte[] ikm = hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        byte[] salt = hex("000102030405060708090a0b0c");
        byte[] info = hex("f0f1f2f3f4f5f6f7f8f9");

        byte[] okm = Hkdf.extract("HmacSHA256", salt, ikm).expand(info, 42);

        assertThat(HEX.formatHex(okm)).isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                + "34007208d5b887185865");
    }

    @Test
    void expand_rfc5869TestCase2_longerInputsAndOutput() {
        byte[] ikm = range(0x00, 0x50);
        byte[] salt = range(0x60, 0xb0);
        byte[] info = range(0xb0, 0x100);

        byte[] okm = Hkdf.extract("HmacSHA256", salt, ikm).expand(info, 82);

        assertThat(HEX.formatHex(okm)).isEqualTo("b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
                + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
                + "cc30c58179ec3e87c14c01d5c1f3434f1d87");
    }

    @Test
    void expand_rfc5869TestCase3_emptySaltAndInfo() {
        byte[] ikm = hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");

        byte[] okm = Hkdf.extract("HmacSHA256", new byte[0], ikm).expand(new byte[0], 42);

        assertThat(HEX.formatHex(okm)).isEqualTo("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
                + "9d201395faa4b61a96c8");
    }

    @Test
    void expand_emptySalt_isTheSameAsHashLengthZeros() {
        byte[] ikm = hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");

        byte[] withEmpty = Hkdf.extract("HmacSHA256", new byte[0], ikm).expand(new byte[0], 42);
        byte[] withZeros = Hkdf.extract("HmacSHA256", new byte[32], ikm).expand(new byte[0], 42);

        assertThat(withEmpty).isEqualTo(withZeros);
    }

    @Test
    void expand_shorterOutput_isAPrefixOfTheLongerOne() {
        Hkdf hkdf = Hkdf.extract("HmacSHA256", range(0x60, 0xb0), range(0x00, 0x50));
        byte[] info = range(0xb0, 0x100);

        byte[] full = hkdf.expand(info, 82);

        assertThat(hkdf.expand(info, 1)).isEqualTo(Arrays.copyOf(full, 1));
        assertThat(hkdf.expand(info, 32)).isEqualTo(Arrays.copyOf(full, 32));
        assertThat(hkdf.expand(info, 33)).isEqualTo(Arrays.copyOf(full, 33));
        assertThat(hkdf.expand(range(0xb0, 0xb1), 32)).as("another info").isNotEqualTo(Arrays.copyOf(full, 32));
    }

    @Test
    void expand_lengthOutside1To255HashLengths_throws() {
        Hkdf sha256 = Hkdf.extract("HmacSHA256", new byte[0], new byte[32]);
        Hkdf sha512 = Hkdf.extract("HmacSHA512", new byte[0], new byte[32]);

        assertThatThrownBy(() -> sha256.expand(new byte[0], 0)).isInstanceOf(KeyringException.class)
                .hasMessageContaining("8160");
        assertThatThrownBy(() -> sha256.expand(new byte[0], -1)).isInstanceOf(KeyringException.class);
        assertThatThrownBy(() -> sha256.expand(new byte[0], 255 * 32 + 1)).isInstanceOf(KeyringException.class)
                .hasMessageContaining("8161");
        assertThat(sha256.expand(new byte[0], 255 * 32)).hasSize(8160);
        assertThatThrownBy(() -> sha512.expand(new byte[0], 255 * 64 + 1)).isInstanceOf(KeyringException.class);
        assertThat(sha512.expand(new byte[0], 255 * 64)).hasSize(16_320);
    }

    @Test
    void extract_withUnknownMac_throwsKeyringException() {
        assertThatThrownBy(() -> Hkdf.extract("HmacNoSuchHash", new byte[0], new byte[32]))
                .isInstanceOf(KeyringException.class).hasMessageContaining("HmacNoSuchHash");
    }

    @Test
    void toString_namesTheHashButNoKeyBytes() {
        byte[] ikm = hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        Hkdf hkdf = Hkdf.extract("HmacSHA256", hex("000102030405060708090a0b0c"), ikm);
        // the PRK of RFC 5869 test case 1
        String prk = "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5";

        String text = hkdf.toString();

        assertThat(text).contains("HmacSHA256").doesNotContainIgnoringCase(prk).doesNotContain(prk.substring(0, 8))
                .doesNotContain(HEX.formatHex(ikm).substring(0, 8)).doesNotContain(Arrays.toString(hex(prk)));
        assertThat(text.length()).isLessThan(40);
    }
}
