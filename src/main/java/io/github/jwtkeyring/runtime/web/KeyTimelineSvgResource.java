package io.github.jwtkeyring.runtime.web;

import java.time.InstantSource;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

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
public class KeyTimelineSvgResource {

    /** The media type of SVG documents. */
    static final String SVG = "image/svg+xml";

    @Inject
    KeyRingManager manager;

    @Inject
    InstantSource clock;

    @GET
    @Produces(SVG)
    public Response picture() {
        String svg = KeyTimelineSvg.render(KeyTimeline.of(manager.current(), manager.policy(), clock.instant()));
        return KeyTimelineResource.guarded(Response.ok(svg, SVG + ";charset=UTF-8")).build();
    }
}
