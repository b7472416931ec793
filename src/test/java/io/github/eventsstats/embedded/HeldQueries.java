package io.github.eventsstats.embedded;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.clickhouse.ClickHouseEndpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;

/**
 * Engine queries that run until the test lets them end: each sleeps a row at a time (50 ms a row, for
 * an hour at most) until {@link #close()} kills it with {@code KILL QUERY}, so the engine connection it
 * holds is busy for as long as the test needs, with no clock involved. Not a query reading {@code url()}
 * from a server the test holds: the engine refuses the network, and a switch letting tests turn that
 * off would be a switch a deployment could leave on.
 */
public final class HeldQueries implements AutoCloseable {

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<CompletableFuture<HttpResponse<String>>> running = new ArrayList<>();
    /** In the held queries' text; written split in the queries that look for them, which so never match themselves. */
    private final String mark = "held-" + UUID.randomUUID();
    private ClickHouseEndpoint.Target engine;

    /** Starts {@code count} queries on the engine and waits until each is running in it. */
    public HeldQueries hold(ClickHouseEndpoint.Target engine, int count) {
        this.engine = engine;
        for (int i = 0; i < count; i++) {
            running.add(http.sendAsync(EngineHttp.request(engine, "/").POST(HttpRequest.BodyPublishers.ofString(
                    "SELECT sleepEachRow(0.05), '" + mark + "' FROM numbers(72000) SETTINGS max_block_size = 1")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> running().equals(count + "\n"));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** How many held queries the engine runs, asked on the reserved lane, which they do not hold. */
    private String running() {
        return reserved("SELECT count() FROM system.processes WHERE query LIKE concat('%', '" + half(0) + "', '"
                + half(1) + "%')");
    }

    private String half(int which) {
        int cut = mark.length() / 2;
        return which == 0 ? mark.substring(0, cut) : mark.substring(cut);
    }

    private String reserved(String sql) {
        try {
            return http.send(EngineHttp.request(engine, "/").header(ClickHouse.LANE_HEADER, "reserved")
                    .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Ends every held query, and waits for their answers. */
    @Override
    public void close() {
        if (engine != null) {
            reserved("KILL QUERY WHERE query LIKE concat('%', '" + half(0) + "', '" + half(1) + "%') SYNC");
        }
        running.forEach(CompletableFuture::join);
    }
}
