package io.github.eventsstats.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Two rules for every query string, before any endpoint reads it:
 * <ul>
 *   <li>An empty parameter ({@code ?action=}, as a form sends an empty field) counts as absent: its
 *       {@code @DefaultValue} applies, a {@code @NotNull} one is missing, a filter filters nothing.
 *       JAX-RS would pass "" instead, which breaks every pattern.</li>
 *   <li>A parameter given twice ({@code offset=1&offset=99999999}) is a 400 naming it: JAX-RS would
 *       silently take the first, and the answer would not be to the question asked.</li>
 * </ul>
 */
public class QueryParameters {

    @ServerRequestFilter(preMatching = true)
    public void check(ContainerRequestContext request) {
        URI uri = request.getUriInfo().getRequestUri();
        String query = uri.getRawQuery();
        if (query == null) {
            return;
        }
        List<String> kept = Stream.of(query.split("&"))
                .filter(p -> p.indexOf('=') >= 0 && p.indexOf('=') < p.length() - 1)
                .toList();
        Set<String> names = new HashSet<>();
        for (String p : kept) {
            String name = URLDecoder.decode(p.substring(0, p.indexOf('=')), StandardCharsets.UTF_8);
            if (!names.add(name)) {
                throw new BadParameterException(name, name + " is given more than once; give it once");
            }
        }
        String joined = kept.stream().collect(Collectors.joining("&"));
        if (!joined.equals(query)) {
            String whole = uri.toString();
            request.setRequestUri(URI.create(whole.substring(0, whole.indexOf('?'))
                    + (joined.isEmpty() ? "" : "?" + joined)));
        }
    }
}
