package io.github.eventsstats.api;

import io.quarkus.resteasy.reactive.server.runtime.ResteasyReactiveRecorder;
import org.jboss.resteasy.reactive.server.core.Deployment;
import org.jboss.resteasy.reactive.server.handlers.ClassRoutingHandler;
import org.jboss.resteasy.reactive.server.handlers.RestInitialHandler;
import org.jboss.resteasy.reactive.server.mapping.RequestMapper;
import org.jboss.resteasy.reactive.server.spi.ServerRestHandler;

import java.util.Set;
import java.util.TreeSet;

/**
 * The methods a path answers, for the {@code Allow} header a 405 must carry (RFC 9110 §15.5.6).
 * The REST layer's own 405 has none. This asks the REST layer's routing tables (the ones it matched
 * the request against) which methods match the path: the class routes, then each class's routes per
 * method, as its {@code ClassRoutingHandler} does. HEAD goes with GET, and OPTIONS is answered
 * everywhere, as the REST layer does.
 */
final class AllowedMethods {

    private static volatile RequestMapper<RestInitialHandler.InitialMatch> classes;

    private AllowedMethods() {
    }

    /** The methods {@code path} (without the query) answers, as an Allow header's value; empty when none. */
    static String of(String path) {
        Set<String> methods = new TreeSet<>();
        RequestMapper<RestInitialHandler.InitialMatch> mapper = classes();
        if (mapper == null) {
            return "";
        }
        for (RequestMapper.RequestMatch<RestInitialHandler.InitialMatch> m = mapper.map(path); m != null;
             m = mapper.continueMatching(path, m)) {
            String rest = m.remaining == null || m.remaining.isEmpty() ? "/" : m.remaining;
            for (ServerRestHandler handler : m.value.handlers) {
                if (handler instanceof ClassRoutingHandler routes) {
                    routes.getMappers().forEach((method, routesOfMethod) -> {
                        if (method != null && routesOfMethod.map(rest) != null) {
                            methods.add(method);
                        }
                    });
                }
            }
        }
        if (methods.isEmpty()) {
            return "";
        }
        if (methods.contains("GET")) {
            methods.add("HEAD");
        }
        methods.add("OPTIONS");
        return String.join(", ", methods);
    }

    private static RequestMapper<RestInitialHandler.InitialMatch> classes() {
        RequestMapper<RestInitialHandler.InitialMatch> mapper = classes;
        if (mapper == null) {
            Deployment deployment = ResteasyReactiveRecorder.getCurrentDeployment();
            if (deployment == null) {
                return null;
            }
            mapper = new RequestMapper<>(deployment.getClassMappers());
            classes = mapper;
        }
        return mapper;
    }
}
