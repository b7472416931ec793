package io.github.eventsstats.github;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted GitHub at the HTTP edge: answers {@code /events} from a queue of canned responses
 * (then, by default, 304) and records every request it received.
 */
public class FakeGitHub implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "ghp_FAKE_TOKEN_must_never_be_logged_1234567890";
    public static FakeGitHub instance;

    /**
     * A canned answer; {@code delayMs} holds it back (to provoke timeouts or race a kill), and
     * {@code trickleMs} spreads the body over that long after prompt headers.
     */
    public record Reply(int status, String body, Map<String, String> headers, long delayMs, long trickleMs) {
        public Reply(int status, String body, Map<String, String> headers, long delayMs) {
            this(status, body, headers, delayMs, 0);
        }

        public Reply header(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Reply(status, body, h, delayMs, trickleMs);
        }

        public Reply delayed(long ms) {
            return new Reply(status, body, headers, ms, trickleMs);
        }

        public Reply trickled(long ms) {
            return new Reply(status, body, headers, delayMs, ms);
        }
    }

    /** What the fake saw. */
    public record Request(Instant at, String uri, String ifNoneMatch, String authorization, String userAgent) {
    }

    private final ConcurrentLinkedDeque<Reply> script = new ConcurrentLinkedDeque<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Reply fallback = notModified();
    private HttpServer server;

    public static Reply ok(String body) {
        return new Reply(200, body, Map.of("X-Poll-Interval", "1", "Content-Type", "application/json"), 0);
    }

    public static Reply notModified() {
        return new Reply(304, "", Map.of("X-Poll-Interval", "1"), 0);
    }

    public static Reply status(int status, String body) {
        return new Reply(status, body, Map.of(), 0);
    }

    @Override
    public Map<String, String> start() {
        listen();
        instance = this;
        return Map.of("github.api-url", baseUrl());
    }

    /** Another server, not the one the app is configured with: where a foreign Link would lead. */
    public static FakeGitHub elsewhere() {
        FakeGitHub other = new FakeGitHub();
        other.listen();
        return other;
    }

    private void listen() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    @Override
    public void stop() {
        server.stop(0);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void reset(Reply... replies) {
        script.clear();
        script.addAll(List.of(replies));
        requests.clear();
        fallback = notModified();
    }

    public void then(Reply... replies) {
        script.addAll(List.of(replies));
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var h = exchange.getRequestHeaders();
            requests.add(new Request(Instant.now(), exchange.getRequestURI().toString(), h.getFirst("If-None-Match"),
                    h.getFirst("Authorization"), h.getFirst("User-Agent")));
            Reply reply = script.pollFirst();
            if (reply == null) {
                reply = fallback;
            }
            if (reply.delayMs() > 0) {
                try {
                    Thread.sleep(reply.delayMs());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v.replace("{base}", baseUrl())));
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    int chunks = reply.trickleMs() > 0 ? 10 : 1;
                    for (int i = 0; i < chunks; i++) {
                        os.write(body, i * body.length / chunks, (i + 1) * body.length / chunks - i * body.length / chunks);
                        os.flush();
                        if (chunks > 1) {
                            Thread.sleep(reply.trickleMs() / chunks);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        } catch (IOException e) {
            // the client gave up (timeout test): nothing to answer
        }
    }
}
