package io.github.jwtkeyring.keys;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF, the HMAC-based key derivation function of RFC 5869, with the JDK's {@link Mac}. JDK 17 has no HKDF of its
 * own ({@code javax.crypto.KDF} arrived in JDK 24).
 * <p>
 * An instance holds the pseudorandom key of one extract step (§2.2) and expands it (§2.3) for any number of
 * {@code info} values. Its {@code toString()} shows the hash only.
 */
public final class Hkdf {

    private final String macAlgorithm;
    private final SecretKeySpec prk;
    private final int hashLength;

    private Hkdf(String macAlgorithm, byte[] prk) {
        this.macAlgorithm = macAlgorithm;
        this.prk = new SecretKeySpec(prk, macAlgorithm);
        this.hashLength = prk.length;
    }

    /**
     * HKDF-Extract (RFC 5869 §2.2).
     *
     * @param macAlgorithm the JCA name of the HMAC, e.g. {@code HmacSHA256}
     * @param salt the salt; empty means a string of hash-length zeros, as the RFC says
     * @param inputKeyMaterial the secret to extract from
     */
    public static Hkdf extract(String macAlgorithm, byte[] salt, byte[] inputKeyMaterial) {
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            byte[] effectiveSalt = salt.length == 0 ? new byte[mac.getMacLength()] : salt;
            mac.init(new SecretKeySpec(effectiveSalt, macAlgorithm));
            byte[] prk = mac.doFinal(inputKeyMaterial);
            try {
                return new Hkdf(macAlgorithm, prk);
            } finally {
                Arrays.fill(prk, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new KeyringException("HKDF-Extract with " + macAlgorithm + " is not available in this JDK.", e);
        }
    }

    /**
     * HKDF-Expand (RFC 5869 §2.3): {@code length} bytes of output keying material for {@code info}.
     *
     * @throws KeyringException if {@code length} is not between 1 and 255 times the hash length
     */
    public byte[] expand(byte[] info, int length) {
        if (length < 1 || length > 255 * hashLength) {
            throw new KeyringException("HKDF-Expand can produce 1 to " + 255 * hashLength + " bytes with "
                    + macAlgorithm + "; " + length + " were asked for.");
        }
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            mac.init(prk);
            byte[] output = new byte[length];
            byte[] previous = new byte[0];
            int written = 0;
            for (int counter = 1; written < length; counter++) {
                mac.update(previous);
                mac.update(info);
                mac.update((byte) counter);
                previous = mac.doFinal();
                int chunk = Math.min(previous.length, length - written);
                System.arraycopy(previous, 0, output, written, chunk);
                written += chunk;
            }
            Arrays.fill(previous, (byte) 0);
            return output;
        } catch (InvalidKeyException | NoSuchAlgorithmException e) {
            throw new KeyringException("HKDF-Expand with " + macAlgorithm + " is not available in this JDK.", e);
        }
    }

    @Override
    public String toString() {
        return "Hkdf[" + macAlgorithm + "]";
    }
}
