package io.github.eventsstats.embedded;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * Engine queries that run until the test lets them end: each reads {@code url()} from a local
 * server that answers only on {@link #close()}, so the engine connection it holds is busy for as
 * long as the test needs, with no clock involved.
 */
public final class HeldQueries implements AutoCloseable {

    private final HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger arrived = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<CompletableFuture<HttpResponse<String>>> running = new ArrayList<>();

    public HeldQueries() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try (exchange) {
                arrived.incrementAndGet(); // the engine may ask HEAD first: holding that holds the query too
                release.await();
                byte[] body = "done\n".getBytes();
                if (exchange.getRequestMethod().equals("HEAD")) {
                    exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
                    exchange.sendResponseHeaders(200, -1);
                } else {
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    /** Starts {@code count} queries on the engine at {@code endpoint} and waits until each is running in it. */
    public HeldQueries hold(String endpoint, int count) {
        int before = arrived.get();
        String sql = "SELECT * FROM url('http://127.0.0.1:" + server.getAddress().getPort()
                + "/held', 'TSV', 'x String')";
        for (int i = 0; i < count; i++) {
            running.add(http.sendAsync(HttpRequest.newBuilder(URI.create(endpoint + "/"))
                    .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> arrived.get() - before >= count);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** Lets every held query end, and waits for their answers. */
    @Override
    public void close() {
        release.countDown();
        running.forEach(CompletableFuture::join);
        server.stop(0);
    }
}
