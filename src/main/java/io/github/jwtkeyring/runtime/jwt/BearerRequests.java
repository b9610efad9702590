package io.github.jwtkeyring.runtime.jwt;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The shape of requests that carry a bearer token (RFC 6750 §2.1), before SmallRye JWT reads them:
 * <ul>
 * <li>several {@code Authorization} headers, one of them a bearer token: 400 {@code invalid_request}, since which one
 * counts would be a guess;</li>
 * <li>{@code Bearer} followed by several spaces (the grammar's {@code 1*SP}), in any letter case: passed on as
 * {@code Bearer <token>};</li>
 * <li>the 401 of a token that the key ring's parser rejected says {@code WWW-Authenticate: Bearer error="invalid_token"}
 * (§3.1), whatever the reason; the reason itself goes to the debug log only. A 401 for a request without a token,
 * from another authentication mechanism, or from the application's own code after a token was accepted keeps its own
 * challenge.</li>
 * </ul>
 * The parser marks a rejection on the request's Vert.x context ({@link #markRejected()}), which the authentication
 * step shares with this route's handler, whether it runs on the event loop or a worker thread.
 */
@ApplicationScoped
public class BearerRequests {

    /** The challenge of a rejected token. */
    public static final String CHALLENGE = "Bearer error=\"invalid_token\"";
    /** The challenge of a malformed bearer request. */
    public static final String INVALID_REQUEST = "Bearer error=\"invalid_request\"";

    private static final String REJECTED = "io.github.jwtkeyring.token-rejected";
    private static final Pattern BEARER = Pattern.compile("(?i)bearer( +)(\\S.*)?");

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(BearerRequests::handle);
    }

    private static void handle(RoutingContext context) {
        List<String> authorizations = context.request().headers().getAll(HttpHeaders.AUTHORIZATION);
        if (authorizations.isEmpty() || authorizations.stream().noneMatch(BearerRequests::bearer)) {
            context.next();
            return;
        }
        if (authorizations.size() > 1) {
            context.response().setStatusCode(400).putHeader("WWW-Authenticate", INVALID_REQUEST)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end("{\"error\":\"invalid_request\"}");
            return;
        }
        Matcher bearer = BEARER.matcher(authorizations.get(0));
        if (bearer.matches() && bearer.group(2) != null) {
            context.request().headers().set(HttpHeaders.AUTHORIZATION, "Bearer " + bearer.group(2));
        }
        Context request = Vertx.currentContext();
        if (VertxContext.isDuplicatedContext(request)) {
            context.addHeadersEndHandler(ignored -> {
                if (context.response().getStatusCode() == 401 && request.getLocal(REJECTED) != null) {
                    context.response().headers().set("WWW-Authenticate", CHALLENGE);
                }
            });
        }
        context.next();
    }

    private static boolean bearer(String authorization) {
        return authorization.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    /** Notes that the current request's bearer token was rejected; called by the parser on the request's context. */
    static void markRejected() {
        Context request = Vertx.currentContext();
        if (request != null && VertxContext.isDuplicatedContext(request)) {
            request.putLocal(REJECTED, Boolean.TRUE);
        }
    }
}
