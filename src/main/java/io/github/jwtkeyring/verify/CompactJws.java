package io.github.jwtkeyring.verify;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * A JWS in the one compact serialization this module accepts (RFC 7515 §7.1), read strictly so that a token has
 * exactly one valid string: three segments of unpadded base64url (only the payload may be empty) (RFC 7515 §2) and no other
 * character, the
 * unused bits of each segment's last character zero (so each segment is exactly what its bytes encode to), a header
 * that is a JSON object in strict UTF-8 without duplicate member names (RFC 8725 §3.2). The length is checked before
 * anything is decoded.
 * <p>
 * The payload is kept as bytes: its meaning is the caller's, after the signature has been checked.
 */
final class CompactJws {

    /** The value of each base64url character, or -1. */
    private static final byte[] BASE64URL = new byte[128];

    static {
        Arrays.fill(BASE64URL, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64URL[alphabet.charAt(i)] = (byte) i;
        }
    }

    private final Map<String, Object> header;
    private final byte[] payload;
    private final byte[] signingInput;
    private final byte[] signature;

    private CompactJws(Map<String, Object> header, byte[] payload, byte[] signingInput, byte[] signature) {
        this.header = header;
        this.payload = payload;
        this.signingInput = signingInput;
        this.signature = signature;
    }

    /**
     * Reads {@code token}.
     *
     * @param maxLength the longest token read at all, in characters (which are bytes: only ASCII is accepted)
     * @throws RejectedTokenException if the token is longer, or not in the canonical compact serialization
     */
    static CompactJws parse(String token, int maxLength) {
        if (token.length() > maxLength) {
            throw rejected("it is longer than " + maxLength + " characters");
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw rejected("it does not have exactly three segments");
        }
        byte[] header = decode(token, 0, first, "header", false);
        byte[] payload = decode(token, first + 1, second, "payload", true);
        byte[] signature = decode(token, second + 1, token.length(), "signature", false);
        byte[] signingInput = new byte[second];
        for (int i = 0; i < second; i++) {
            signingInput[i] = (byte) token.charAt(i);
        }
        return new CompactJws(object(header, "header"), payload, signingInput, signature);
    }

    /** The protected header, a JSON object. */
    Map<String, Object> header() {
        return header;
    }

    /** The decoded payload. */
    byte[] payload() {
        return payload;
    }

    /** The ASCII bytes the signature covers: the header and payload segments with the dot between them. */
    byte[] signingInput() {
        return signingInput;
    }

    /** The decoded signature. */
    byte[] signature() {
        return signature;
    }

    /**
     * The JSON object in {@code utf8}, which must be strict UTF-8 and have unique member names.
     *
     * @throws RejectedTokenException otherwise, naming {@code part}
     */
    private static Map<String, Object> object(byte[] utf8, String part) {
        String json = text(utf8, part);
        try {
            return JsonUtil.parseJson(json);
        } catch (JoseException | RuntimeException e) {
            // jose4j refuses duplicate member names (RFC 8725 §3.2), as well as anything that is not an object
            throw rejected("its " + part + " is not a JSON object with unique member names");
        }
    }

    /**
     * The text of {@code utf8}, which must be strict UTF-8 (RFC 3629: no overlong forms, no surrogates).
     *
     * @throws RejectedTokenException otherwise, naming {@code part}
     */
    static String text(byte[] utf8, String part) {
        for (byte b : utf8) {
            if (b < 0) {
                try {
                    CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(utf8));
                    return chars.toString();
                } catch (CharacterCodingException e) {
                    throw rejected("its " + part + " is not UTF-8");
                }
            }
        }
        return new String(utf8, StandardCharsets.US_ASCII);
    }

    /**
     * The bytes of the base64url segment {@code token[from, to)}: only the 64 characters of the URL-safe alphabet, no
     * padding, no length that no byte count encodes to, and zero bits where the last character has unused ones.
     */
    private static byte[] decode(String token, int from, int to, String part, boolean mayBeEmpty) {
        int length = to - from;
        if ((length == 0 && !mayBeEmpty) || length % 4 == 1) {
            throw rejected("its " + part + " is not unpadded base64url");
        }
        byte[] out = new byte[length * 3 / 4];
        int bits = 0;
        int buffered = 0;
        int written = 0;
        for (int i = from; i < to; i++) {
            char c = token.charAt(i);
            int value = c < 128 ? BASE64URL[c] : -1;
            if (value < 0) {
                throw rejected("its " + part + " is not unpadded base64url");
            }
            bits = (bits << 6) | value;
            buffered += 6;
            if (buffered >= 8) {
                buffered -= 8;
                out[written++] = (byte) (bits >> buffered);
                bits &= (1 << buffered) - 1;
            }
        }
        if (bits != 0) {
            throw rejected("its " + part + " has non-zero unused bits, so it is not the canonical encoding");
        }
        return out;
    }

    private static RejectedTokenException rejected(String reason) {
        return new RejectedTokenException(RejectedTokenException.Reason.MALFORMED,
                "the token is not a JWS in compact serialization: " + reason, null);
    }
}
