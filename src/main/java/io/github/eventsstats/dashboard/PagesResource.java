package io.github.eventsstats.dashboard;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The stand-alone chart pages, twins of /metrics/event-avg-time and /metrics/events-total-count
 * with the same query parameters. They are the dashboard's page (/ is its index.html, served as a
 * static resource): its script reads the path and shows that one view, full width.
 */
@Path("/visualization")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "pages")
public class PagesResource {

    private static final byte[] PAGE = read("META-INF/resources/index.html");

    @GET
    @Path("/event-avg-time")
    @Operation(summary = "Chart page: the time between adjacent events (same parameters as /metrics/event-avg-time)")
    public byte[] eventAvgTime() {
        return PAGE;
    }

    @GET
    @Path("/events-total-count")
    @Operation(summary = "Chart page: events per type (same parameters as /metrics/events-total-count)")
    public byte[] eventsTotalCount() {
        return PAGE;
    }

    private static byte[] read(String resource) {
        try (InputStream in = PagesResource.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the application");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
