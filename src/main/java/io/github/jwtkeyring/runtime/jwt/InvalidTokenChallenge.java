package io.github.jwtkeyring.runtime.jwt;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Makes every 401 for a request that carried a bearer token say {@code WWW-Authenticate: Bearer error="invalid_token"}
 * (RFC 6750 §3.1), whatever the reason the token was rejected; requests without a token keep the plain
 * {@code Bearer} challenge. The reason itself goes to the debug log only.
 */
@ApplicationScoped
public class InvalidTokenChallenge {

    public static final String CHALLENGE = "Bearer error=\"invalid_token\"";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::handle);
    }

    private void handle(RoutingContext context) {
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            context.addHeadersEndHandler(ignored -> {
                if (context.response().getStatusCode() == 401) {
                    context.response().headers().set("WWW-Authenticate", CHALLENGE);
                }
            });
        }
        context.next();
    }
}
