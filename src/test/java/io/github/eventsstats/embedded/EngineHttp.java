package io.github.eventsstats.embedded;

import io.github.eventsstats.clickhouse.ClickHouseEndpoint;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Requests straight to the embedded engine's HTTP front, as curl sends them: with its user and password. */
public final class EngineHttp {

    private EngineHttp() {
    }

    /** A request to {@code pathAndQuery} (from "/") on the engine, with its credentials as basic authentication. */
    public static HttpRequest.Builder request(ClickHouseEndpoint.Target engine, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(engine.url() + pathAndQuery)).header("Authorization", basic(engine));
    }

    public static String basic(ClickHouseEndpoint.Target engine) {
        return "Basic " + Base64.getEncoder().encodeToString((engine.user() + ":" + engine.password())
                .getBytes(StandardCharsets.UTF_8));
    }
}
