package io.github.jwtkeyring.runtime.web;

import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.github.jwtkeyring.keys.IllegalKeyTransitionException;
import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.SigningFailedException;
import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.keys.UnknownKeyException;
import io.github.jwtkeyring.keys.UnsupportedKeyOperationException;
import io.github.jwtkeyring.revocation.InvalidGrantException;

/**
 * Turns key ring exceptions into JSON errors: 404 for an unknown kid, 409 for a transition the lifecycle forbids or an
 * operation the ring cannot do, 400 {@code invalid_grant} for a refused refresh token, 503 when the store cannot take
 * a change (a database outage: the change was not made), 500 (with the details in the log only) for anything else.
 */
public class KeyringExceptionMappers {

    private static final Logger LOG = Logger.getLogger(KeyringExceptionMappers.class);

    @ServerExceptionMapper
    public Response unknownKey(UnknownKeyException e) {
        return error(Response.Status.NOT_FOUND, "unknown_key", e.getMessage());
    }

    @ServerExceptionMapper
    public Response illegalTransition(IllegalKeyTransitionException e) {
        return error(Response.Status.CONFLICT, "illegal_transition", e.getMessage());
    }

    @ServerExceptionMapper
    public Response unsupported(UnsupportedKeyOperationException e) {
        return error(Response.Status.CONFLICT, "unsupported_operation", e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidGrant(InvalidGrantException e) {
        LOG.debugf("Refresh refused: %s", e.getMessage());
        return OAuthErrors.of("invalid_grant");
    }

    /** The store is unreachable or refused the write: nothing was changed, and the client may try again. */
    @ServerExceptionMapper
    public Response unavailable(StoreException e) {
        LOG.warnf("A change could not be stored: %s", e.getMessage());
        return Response.fromResponse(error(Response.Status.SERVICE_UNAVAILABLE, "temporarily_unavailable",
                "The change could not be stored right now and was not made; try again shortly."))
                .header("Retry-After", "5").build();
    }

    /**
     * The signing key could not sign (its PKCS#11 token is unreachable or its session broke): nothing was issued, and
     * the client may try again; verification goes on.
     */
    @ServerExceptionMapper
    public Response signingFailed(SigningFailedException e) {
        LOG.warnf("A token could not be signed: %s", e.getMessage());
        return Response.fromResponse(error(Response.Status.SERVICE_UNAVAILABLE, "temporarily_unavailable",
                "The signing key cannot be used right now; nothing was issued. Try again shortly."))
                .header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response keyring(KeyringException e) {
        LOG.errorf(e, "Key ring operation failed: %s", e.getMessage());
        return error(Response.Status.INTERNAL_SERVER_ERROR, "server_error",
                "The key ring could not complete the request; see the server log.");
    }

    private static Response error(Response.Status status, String code, String description) {
        return Response.status(status).entity(Map.of("error", code, "error_description", description)).build();
    }
}
