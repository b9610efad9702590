package io.github.jwtkeyring.runtime.web;

import java.time.InstantSource;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.rotation.KeyTimeline;
import io.github.jwtkeyring.rotation.KeyTimelineSvg;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;

/**
 * {@code GET /admin/keys/timeline.svg}, for the role {@code admin}: the key ring across time as an SVG image
 * ({@link KeyTimelineSvg}), drawn at the clock's current instant. Without credentials it gets the plain 401 of any
 * bearer endpoint: it is the picture alone, for scripts and for the sign-in page of {@link KeyTimelineResource}.
 */
@EndpointDisabled(name = "keyring.endpoints.admin.enabled", stringValue = "false")
@Path("/admin/keys/timeline.svg")
@RolesAllowed("admin")
// @formatter:off
@Tag(name = "Key administration")
@SecurityRequirement(name = ApiDocs.BEARER)
@APIResponse(responseCode = "401", description = ApiDocs.UNAUTHORIZED,
        headers = @Header(name = HttpHeaders.WWW_AUTHENTICATE, description = ApiDocs.CHALLENGE,
                schema = @Schema(type = SchemaType.STRING)))
@APIResponse(responseCode = "403", description = ApiDocs.FORBIDDEN)
// @formatter:on
public class KeyTimelineSvgResource {

    /** The media type of SVG documents. */
    static final String SVG = "image/svg+xml";

    @Inject
    KeyRingManager manager;

    @Inject
    InstantSource clock;

    @GET
    // @formatter:off
    @Operation(summary = "The key timeline as an SVG picture: each key from creation to destruction, now, and the next rotation")
    @APIResponse(responseCode = "200", description = "The key timeline.",
            content = @Content(mediaType = "image/svg+xml", schema = @Schema(type = SchemaType.STRING)))
    // @formatter:on
    @Produces(SVG)
    public Response picture() {
        String svg = KeyTimelineSvg.render(KeyTimeline.of(manager.current(), manager.policy(), clock.instant()));
        return KeyTimelineResource.guarded(Response.ok(svg, SVG + ";charset=UTF-8")).build();
    }
}
