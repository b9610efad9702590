package io.github.jwtkeyring.store.jdbc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.keys.StoreException;

/**
 * A key-encryption key (KEK): 256 bits that wrap key material with AES-256-GCM before it reaches the database, which
 * never sees the KEK. The associated data binds each ciphertext to its {@code kid} and algorithm, so a row copied under
 * another kid does not decrypt.
 * <p>
 * A wrapped value is {@code [format 0x01][96-bit random nonce][ciphertext and 128-bit tag]}. The KEK's id, a short
 * SHA-256 fingerprint, is stored beside it, so that a store knows which configured KEK to use and a wrong KEK is
 * reported as such. {@code toString()} shows the id only.
 */
public final class KeyEncryptionKey {

    /** The length of a KEK, in bytes. */
    public static final int LENGTH = 32;

    private static final byte FORMAT = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Created with each instance, at run time: a static one would be seeded while a native image is built. */
    private final SecureRandom random = new SecureRandom();

    private final String id;
    private final SecretKeySpec key;

    /**
     * @param bytes exactly {@value #LENGTH} bytes; copied
     * @param source where the KEK came from, for error messages (never its value)
     */
    public KeyEncryptionKey(byte[] bytes, String source) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new StoreException("The key-encryption key from " + source + " must be exactly " + LENGTH
                    + " bytes (base64 of 32 random bytes, e.g. 'openssl rand -base64 32'); it has "
                    + (bytes == null ? 0 : bytes.length) + ".");
        }
        this.key = new SecretKeySpec(bytes, "AES");
        this.id = fingerprint(bytes);
    }

    private static String fingerprint(byte[] bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("jwt-keyring KEK id v1".getBytes(StandardCharsets.US_ASCII));
            byte[] hash = digest.digest(bytes);
            return "kek-" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 9));
        } catch (GeneralSecurityException e) {
            throw new StoreException("SHA-256 is missing from this JDK.", e);
        }
    }

    /** The KEK's id: a fingerprint that reveals nothing about the KEK. */
    public String id() {
        return id;
    }

    /** Encrypts the secret part of key {@code kid}. */
    public byte[] wrap(String kid, SigningAlgorithm algorithm, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(kid, algorithm));
            byte[] ciphertext = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + ciphertext.length).put(FORMAT).put(nonce).put(ciphertext)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new StoreException("AES-256-GCM is not available to wrap key '" + kid + "'.", e);
        }
    }

    /**
     * Decrypts the secret part of key {@code kid}.
     *
     * @throws StoreException if the value was not wrapped for this kid and algorithm under this KEK, or is damaged
     */
    public byte[] unwrap(String kid, SigningAlgorithm algorithm, byte[] wrapped) {
        if (wrapped == null || wrapped.length < 1 + NONCE_BYTES + TAG_BITS / 8 || wrapped[0] != FORMAT) {
            throw new StoreException("The encrypted material of key '" + kid + "' is damaged.");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, wrapped, 1, NONCE_BYTES));
            cipher.updateAAD(associatedData(kid, algorithm));
            return cipher.doFinal(wrapped, 1 + NONCE_BYTES, wrapped.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new StoreException("The encrypted material of key '" + kid + "' does not decrypt with " + id
                    + ": it was not encrypted for this kid and algorithm, or it is damaged.", e);
        } catch (GeneralSecurityException e) {
            throw new StoreException("AES-256-GCM is not available to unwrap key '" + kid + "'.", e);
        }
    }

    private static byte[] associatedData(String kid, SigningAlgorithm algorithm) {
        return ("jwt-keyring key material v1\0" + kid + "\0" + algorithm.joseName())
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "KeyEncryptionKey[" + id + "]";
    }
}
