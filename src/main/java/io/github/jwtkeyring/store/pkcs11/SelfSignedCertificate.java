package io.github.jwtkeyring.store.pkcs11;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * A minimal X.509 v1 certificate (RFC 5280 §4.1) for a key pair on a token: SunPKCS11's key store lists a private key
 * only together with a certificate, and finds both by the certificate's label. Subject and issuer are {@code CN=<kid>},
 * valid from 1970 to 9999-12-31 (RFC 5280 §4.1.2.5: no well-defined expiration), signed on the token by the key itself.
 * Nothing trusts this certificate; it only carries the public key and the label.
 */
final class SelfSignedCertificate {

    private static final byte[] ECDSA_SHA256 = oid(1, 2, 840, 10045, 4, 3, 2);
    private static final byte[] RSA_SHA256 = oid(1, 2, 840, 113549, 1, 1, 11);
    private static final byte[] COMMON_NAME = oid(2, 5, 4, 3);
    private static final byte[] DER_NULL = { 0x05, 0x00 };

    private SelfSignedCertificate() {
    }

    /** The certificate of {@code publicKey}, signed with {@code privateKey} by {@code provider}. */
    static X509Certificate create(String kid, PublicKey publicKey, PrivateKey privateKey, Provider provider,
            SecureRandom random) throws GeneralSecurityException {
        boolean ec = "EC".equals(publicKey.getAlgorithm());
        byte[] algorithm = ec ? seq(ECDSA_SHA256) : seq(RSA_SHA256, DER_NULL);
        byte[] name = seq(set(seq(COMMON_NAME, tlv(0x0c, kid.getBytes(StandardCharsets.UTF_8)))));
        byte[] validity = seq(tlv(0x17, ascii("700101000000Z")), tlv(0x18, ascii("99991231235959Z")));
        byte[] serial = tlv(0x02, new BigInteger(63, random).setBit(62).toByteArray());
        byte[] tbs = seq(serial, algorithm, name, validity, name, publicKey.getEncoded());
        Signature signer = Signature.getInstance(ec ? "SHA256withECDSA" : "SHA256withRSA", provider);
        signer.initSign(privateKey);
        signer.update(tbs);
        byte[] signature = signer.sign();
        byte[] bits = new byte[signature.length + 1];
        System.arraycopy(signature, 0, bits, 1, signature.length);
        byte[] der = seq(tbs, algorithm, tlv(0x03, bits));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] seq(byte[]... parts) {
        return tlv(0x30, parts);
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, parts);
    }

    /** A DER tag-length-value with a definite length in its short or long form (X.690 §8.1.3). */
    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            body.writeBytes(part);
        }
        int length = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** An OBJECT IDENTIFIER (X.690 §8.19). */
    static byte[] oid(int... arcs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(arcs[0] * 40 + arcs[1]);
        for (int i = 2; i < arcs.length; i++) {
            int value = arcs[i];
            int groups = Math.max(1, (32 - Integer.numberOfLeadingZeros(value) + 6) / 7);
            for (int g = groups - 1; g >= 0; g--) {
                out.write(((value >>> (7 * g)) & 0x7f) | (g > 0 ? 0x80 : 0));
            }
        }
        return tlv(0x06, out.toByteArray());
    }
}
