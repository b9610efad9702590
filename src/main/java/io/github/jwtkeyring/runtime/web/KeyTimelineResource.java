package io.github.jwtkeyring.runtime.web;

import java.time.InstantSource;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.rotation.KeyTimeline;
import io.github.jwtkeyring.rotation.KeyTimelineSvg;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import io.quarkus.security.UnauthorizedException;

/**
 * {@code GET /admin/keys/timeline}, for the role {@code admin}: the key ring across time as an HTML page with the SVG of
 * {@link KeyTimelineSvgResource} inline.
 * <p>
 * A browser that asks without credentials gets 401 with the {@code Bearer} challenge and a sign-in page
 * ({@link KeyTimelinePage#signIn}): it logs in through {@code POST /auth/login} and fetches the picture with the token
 * it got. The mapper below is this class's own, so that no other endpoint's 401 changes. A token that is not an
 * administrator's gets 403, a rejected token the uniform 401 of every endpoint; neither reaches this class.
 */
@EndpointDisabled(name = "keyring.endpoints.admin.enabled", stringValue = "false")
@Path("/admin/keys/timeline")
@RolesAllowed("admin")
// @formatter:off
@Tag(name = "Key administration")
@SecurityRequirement(name = ApiDocs.BEARER)
@APIResponse(responseCode = "401", description = ApiDocs.UNAUTHORIZED + " A request without credentials gets the HTML sign-in page as the body.",
        headers = @Header(name = HttpHeaders.WWW_AUTHENTICATE, description = ApiDocs.CHALLENGE,
                schema = @Schema(type = SchemaType.STRING)))
@APIResponse(responseCode = "403", description = ApiDocs.FORBIDDEN)
// @formatter:on
public class KeyTimelineResource {

    @Inject
    KeyRingManager manager;

    @Inject
    InstantSource clock;

    @GET
    // @formatter:off
    @Operation(summary = "The key timeline as an HTML page, for a browser; without credentials, a sign-in page (with the 401)")
    @APIResponse(responseCode = "200", description = "The key timeline.",
            content = @Content(mediaType = "text/html", schema = @Schema(type = SchemaType.STRING)))
    // @formatter:on
    @Produces(MediaType.TEXT_HTML)
    public Response page() {
        String svg = KeyTimelineSvg.render(KeyTimeline.of(manager.current(), manager.policy(), clock.instant()));
        return guarded(Response.ok(KeyTimelinePage.withPicture(svg), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")))
                .build();
    }

    /** An anonymous request for the page: the sign-in page, with the challenge any 401 has. */
    @ServerExceptionMapper(UnauthorizedException.class)
    Response signIn(UriInfo uri) {
        String base = uri.getBaseUri().getRawPath();
        String root = base.endsWith("/") ? base : base + "/";
        String page = KeyTimelinePage.signIn(root + "auth/login", root + "auth/logout",
                root + "admin/keys/timeline.svg");
        return guarded(Response.status(Response.Status.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .entity(page).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))).build();
    }

    /**
     * The headers of every timeline answer: the Content-Security-Policy of {@link KeyTimelinePage}, no MIME sniffing,
     * no caching (the picture is an administrator's view of the ring), no framing, no referrer.
     */
    static Response.ResponseBuilder guarded(Response.ResponseBuilder response) {
        return response.header("Content-Security-Policy", KeyTimelinePage.CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff").header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("X-Frame-Options", "DENY").header("Referrer-Policy", "no-referrer");
    }
}
