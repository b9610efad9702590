package io.github.jwtkeyring.runtime.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An {@code application/x-www-form-urlencoded} body (the token endpoints' and the revocation endpoint's), read
 * strictly: percent-escapes must be two hex digits that decode to UTF-8, and every parameter may appear at most once
 * (RFC 6749 §3.2). Anything else makes the request invalid; the body itself is never echoed or logged, since it may
 * hold a refresh token.
 */
final class FormBody {

    /** Bodies of these endpoints are a few hundred bytes; anything much larger is refused unread. */
    static final int MAX_LENGTH = 16 * 1024;

    private final Map<String, String> parameters;

    private FormBody(Map<String, String> parameters) {
        this.parameters = parameters;
    }

    /** The body's parameters, or empty if the body is malformed, too large or repeats a parameter. */
    static Optional<FormBody> parse(String body) {
        if (body == null || body.isEmpty()) {
            return Optional.of(new FormBody(Map.of()));
        }
        if (body.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Map<String, String> parameters = new HashMap<>();
        for (String pair : body.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            Optional<String> name = decode(equals < 0 ? pair : pair.substring(0, equals));
            Optional<String> value = decode(equals < 0 ? "" : pair.substring(equals + 1));
            if (name.isEmpty() || value.isEmpty() || parameters.put(name.get(), value.get()) != null) {
                return Optional.empty();
            }
        }
        return Optional.of(new FormBody(parameters));
    }

    /** The parameter {@code name}, if present. */
    Optional<String> get(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    private static Optional<String> decode(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    return Optional.empty();
                }
                int high = Character.digit(encoded.charAt(i + 1), 16);
                int low = Character.digit(encoded.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return Optional.empty();
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c < 0x20 || c > 0x7e) {
                return Optional.empty();
            } else {
                bytes.write(c);
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
