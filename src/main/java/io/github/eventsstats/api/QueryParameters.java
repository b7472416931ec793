package io.github.eventsstats.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.net.URI;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * An empty query parameter ({@code ?action=}, as a form sends an empty field) counts as absent:
 * its {@code @DefaultValue} applies, a {@code @NotNull} one is missing, a filter filters nothing.
 * JAX-RS would pass "" instead, which breaks every pattern.
 */
public class EmptyQueryParameters {

    @ServerRequestFilter(preMatching = true)
    public void drop(ContainerRequestContext request) {
        URI uri = request.getUriInfo().getRequestUri();
        String query = uri.getRawQuery();
        if (query == null) {
            return;
        }
        String kept = Arrays.stream(query.split("&"))
                .filter(p -> p.indexOf('=') >= 0 && p.indexOf('=') < p.length() - 1)
                .collect(Collectors.joining("&"));
        if (!kept.equals(query)) {
            String whole = uri.toString();
            request.setRequestUri(URI.create(whole.substring(0, whole.indexOf('?'))
                    + (kept.isEmpty() ? "" : "?" + kept)));
        }
    }
}
