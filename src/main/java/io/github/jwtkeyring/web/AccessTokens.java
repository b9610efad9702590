package io.github.jwtkeyring.web;

import java.time.Instant;
import java.util.Optional;

import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;

import io.github.jwtkeyring.issue.TokenIssuer;
import io.github.jwtkeyring.revocation.TokenLedger;

/**
 * What the web layer reads from an access token SmallRye JWT has already verified.
 */
final class AccessTokens {

    private AccessTokens() {
    }

    /** The {@code kid} from the token's protected header. */
    static Optional<String> kid(JsonWebToken jwt) {
        try {
            return Optional.ofNullable(JsonWebStructure.fromCompactSerialization(jwt.getRawToken())
                    .getKeyIdHeaderValue());
        } catch (JoseException e) {
            return Optional.empty();
        }
    }

    /** The {@code sid} claim: the refresh-token family, if the token came from one. */
    static String sessionId(JsonWebToken jwt) {
        Object sid = jwt.getClaim(TokenIssuer.SESSION_ID_CLAIM);
        if (sid instanceof JsonString json) {
            return json.getString();
        }
        return sid instanceof String text ? text : null;
    }

    /** Why the ledger refuses this token, if it does. */
    static Optional<String> rejection(TokenLedger ledger, JsonWebToken jwt) {
        return ledger.rejection(jwt.getTokenID(), jwt.getSubject(), Instant.ofEpochSecond(jwt.getIssuedAtTime()),
                sessionId(jwt));
    }
}
