package io.github.jwtkeyring.web;

import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.github.jwtkeyring.keys.IllegalKeyTransitionException;
import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.UnknownKeyException;
import io.github.jwtkeyring.keys.UnsupportedKeyOperationException;
import io.github.jwtkeyring.revocation.InvalidGrantException;

/**
 * Turns key ring exceptions into JSON errors: 404 for an unknown kid, 409 for a transition the lifecycle forbids or an
 * operation the ring cannot do, 400 {@code invalid_grant} for a refused refresh token, 500 (with the details in the log
 * only) for anything else.
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
