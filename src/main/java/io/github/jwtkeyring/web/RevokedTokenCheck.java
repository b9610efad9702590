package io.github.jwtkeyring.web;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.github.jwtkeyring.revocation.TokenLedger;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * Fails the authentication of every access token the ledger has revoked (by {@code jti}, by subject, or by its
 * refresh-token family), on every authenticated request. Three in-memory lookups, no I/O, so it runs wherever SmallRye
 * JWT authenticates, the event loop included. The client sees the same 401 as for any other rejected token.
 */
@ApplicationScoped
public class RevokedTokenCheck implements SecurityIdentityAugmentor {

    private static final Logger LOG = Logger.getLogger(RevokedTokenCheck.class);

    @Inject
    TokenLedger ledger;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        Optional<String> rejection = AccessTokens.rejection(ledger, jwt);
        if (rejection.isPresent()) {
            LOG.debugf("Token rejected: %s", rejection.get());
            return Uni.createFrom().failure(new AuthenticationFailedException("Token rejected"));
        }
        return Uni.createFrom().item(identity);
    }
}
