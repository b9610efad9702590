package io.github.jwtkeyring.runtime.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.github.jwtkeyring.issue.AccessTokenRequest;
import io.github.jwtkeyring.issue.TokenIssuer;
import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.revocation.TokenLedger;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.runtime.config.KeyringSettings;
import io.github.jwtkeyring.runtime.custody.CustodySource;

/**
 * With {@code keyring.reissue.enabled}, answers a request whose access token verified with a key that no longer signs
 * (a RETIRED key, or a previous HMAC period) with a fresh access token on the ACTIVE key, in the response header
 * {@value #HEADER}: same subject, groups and refresh family, the normal lifetime, and subject to every revocation.
 * Clients that swap it in never notice a key rotation.
 */
public class ReissueFilter {

    private static final Logger LOG = Logger.getLogger(ReissueFilter.class);

    /** The response header that carries the fresh token. */
    public static final String HEADER = "Keyring-Reissued-Token";

    @Inject
    KeyringSettings settings;

    @Inject
    KeyRingManager manager;

    @Inject
    TokenIssuer issuer;

    @Inject
    TokenLedger ledger;

    @Inject
    CustodySource custody;

    @ServerResponseFilter
    public void reissue(ContainerRequestContext request, ContainerResponseContext response) {
        if (!settings.reissue() || response.getStatus() == 401
                || !(request.getSecurityContext().getUserPrincipal() instanceof JsonWebToken jwt)) {
            return;
        }
        boolean onRetiredKey = AccessTokens.kid(jwt).flatMap(kid -> manager.current().find(kid))
                .filter(key -> key.state() == KeyState.RETIRED).isPresent();
        if (!onRetiredKey || AccessTokens.rejection(ledger, jwt).isPresent()) {
            // on the ACTIVE key (or a PENDING one, signed by a node whose clock is ahead), or revoked by this very
            // request (a logout)
            return;
        }
        if (io.vertx.core.Context.isOnEventLoopThread() && custody.opened().isPresent()) {
            // signing on a PKCS#11 token is I/O: a non-blocking endpoint's response goes without the fresh token
            return;
        }
        AccessTokenRequest fresh = AccessTokenRequest.of(jwt.getSubject(), jwt.getGroups());
        String sid = AccessTokens.sessionId(jwt);
        String token;
        try {
            token = issuer.issue(sid == null ? fresh : fresh.withSession(sid)).token();
        } catch (KeyringException e) {
            // the endpoint's own answer stands; the client gets a fresh token on a later request
            LOG.debugf("No re-issued token: %s", e.getMessage());
            return;
        }
        response.getHeaders().putSingle(HEADER, token);
        response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
    }
}
