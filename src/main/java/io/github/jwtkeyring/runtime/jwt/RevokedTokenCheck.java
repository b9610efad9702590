package io.github.jwtkeyring.runtime.jwt;

import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.github.jwtkeyring.revocation.TokenLedger;
import io.github.jwtkeyring.runtime.web.AccessTokens;
import io.github.jwtkeyring.verify.AdmissionCheck;

/**
 * Refuses every access token the ledger has revoked (by {@code jti}, by subject, or by its refresh-token family), on
 * every authenticated request, cached tokens included. Three in-memory lookups, no I/O, so it runs where SmallRye JWT
 * parses the token, the event loop included. The client sees the same 401 as for any other rejected token.
 * <p>
 * It is called by the key ring's parser rather than installed as a {@code SecurityIdentityAugmentor}: an augmentor
 * adds two more reactive stages, each capturing and restoring every propagated context, to every authenticated
 * request.
 */
@Singleton
public class RevokedTokenCheck implements AdmissionCheck {

    private final TokenLedger ledger;

    @Inject
    public RevokedTokenCheck(TokenLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public Optional<String> rejection(JsonWebToken token) {
        return AccessTokens.rejection(ledger, token);
    }
}
