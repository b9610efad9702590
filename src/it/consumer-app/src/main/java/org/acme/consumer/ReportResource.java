package org.acme.consumer;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** The application's own protected endpoint, written as for any SmallRye JWT application. */
@Path("/reports")
public class ReportResource {

    @Inject
    JsonWebToken jwt;

    @GET
    @RolesAllowed("analyst")
    public String reports() {
        return "reports for " + jwt.getSubject() + " of " + jwt.getClaim("tenant");
    }
}
