package io.github.jwtkeyring.runtime.jwt;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Makes the 401 of a request whose bearer token the key ring's parser rejected say
 * {@code WWW-Authenticate: Bearer error="invalid_token"} (RFC 6750 §3.1), whatever the reason; the reason itself goes to
 * the debug log only. Only those answers change: a 401 for a request without a token, from another authentication
 * mechanism, or from the application's own code after a token was accepted keeps its own challenge.
 * <p>
 * The parser marks the rejection on the request's Vert.x context ({@link #markRejected()}), which the authentication
 * step shares with this route's handler, whether it runs on the event loop or a worker thread.
 */
@ApplicationScoped
public class InvalidTokenChallenge {

    /** The challenge of a rejected token. */
    public static final String CHALLENGE = "Bearer error=\"invalid_token\"";

    private static final String REJECTED = "io.github.jwtkeyring.token-rejected";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(InvalidTokenChallenge::handle);
    }

    private static void handle(RoutingContext context) {
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        Context request = Vertx.currentContext();
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && VertxContext.isDuplicatedContext(request)) {
            context.addHeadersEndHandler(ignored -> {
                if (context.response().getStatusCode() == 401 && request.getLocal(REJECTED) != null) {
                    context.response().headers().set("WWW-Authenticate", CHALLENGE);
                }
            });
        }
        context.next();
    }

    /** Notes that the current request's bearer token was rejected; called by the parser on the request's context. */
    static void markRejected() {
        Context request = Vertx.currentContext();
        if (request != null && VertxContext.isDuplicatedContext(request)) {
            request.putLocal(REJECTED, Boolean.TRUE);
        }
    }
}
