package io.github.jwtkeyring.runtime.audit;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.github.jwtkeyring.runtime.audit.AuditEvent.Actor;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableContext;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * Who is acting now: the caller of the current HTTP request (subject and address), or the application's own code when
 * no request is being served.
 */
@Singleton
public class AuditActors {

    @Inject
    CurrentVertxRequest request;

    @Inject
    CurrentIdentityAssociation identity;

    /** The current HTTP caller, or {@link Actor#APPLICATION} outside a request. */
    public Actor current() {
        InjectableContext context = Arc.container().requestContext();
        RoutingContext routing = context.isActive() ? request.getCurrent() : null;
        if (routing == null) {
            return Actor.APPLICATION;
        }
        SecurityIdentity caller = identity.getIdentity();
        String subject = caller == null || caller.isAnonymous() ? null : caller.getPrincipal().getName();
        return Actor.caller(subject, address(routing));
    }

    /** The client's address of {@code routing}'s request, as Quarkus sees it (forwarding headers only if enabled). */
    private static String address(RoutingContext routing) {
        SocketAddress remote = routing.request().remoteAddress();
        return remote == null ? null : remote.hostAddress();
    }
}
