package io.github.eventsstats.api;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** An admin endpoint that exists only in the tests, so the gate is tested apart from any feature. */
@Path("/admin/test-probe")
@AdminOnly
public class AdminProbeResource {

    @POST
    @SecurityRequirement(name = AdminOnly.SCHEME)
    public String probe() {
        return "through";
    }
}
