package io.github.jwtkeyring.runtime.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

import io.github.jwtkeyring.issue.TokenIssuer;
import io.github.jwtkeyring.revocation.TokenLedger;

/**
 * What the web layer reads from an access token SmallRye JWT has already verified.
 */
public final class AccessTokens {

    private AccessTokens() {
    }

    /**
     * The {@code kid} from the token's protected header. Only the header segment is decoded: this runs on every request
     * that asks, and the token has been verified already.
     */
    public static Optional<String> kid(JsonWebToken jwt) {
        String token = jwt.getRawToken();
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        try {
            String header = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            return Optional.ofNullable(JsonUtil.parseJson(header).get("kid")).map(Object::toString);
        } catch (JoseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The {@code sid} claim: the refresh-token family, if the token came from one. */
    public static String sessionId(JsonWebToken jwt) {
        Object sid = jwt.getClaim(TokenIssuer.SESSION_ID_CLAIM);
        if (sid instanceof JsonString json) {
            return json.getString();
        }
        return sid instanceof String text ? text : null;
    }

    /** Why the ledger refuses this token, if it does. */
    public static Optional<String> rejection(TokenLedger ledger, JsonWebToken jwt) {
        return ledger.rejection(jwt.getTokenID(), jwt.getSubject(), Instant.ofEpochSecond(jwt.getIssuedAtTime()),
                sessionId(jwt));
    }
}
