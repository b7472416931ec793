package io.github.eventsstats.github;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A scripted GitHub at the HTTP edge: answers {@code /events} from a queue of canned responses
 * (then, by default, 304) and records every request it received, stamped by the test's clock.
 * Paths given to {@link #route} (a repository's events and pulls, from generated data) are
 * answered by their function instead; {@link #rateLimit} makes it count requests as GitHub does.
 */
public class FakeGitHub implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "ghp_FAKE_TOKEN_must_never_be_logged_1234567890";
    public static FakeGitHub instance;

    /** How a reply is held back. */
    public enum Hold {
        /** Answered at once. */
        NONE,
        /** Nothing is sent until {@link #release()}: the client's timeout ends the exchange. */
        HEADERS,
        /** Headers and half the body are sent, the rest only after {@link #release()}. */
        BODY,
        /** The body a byte at a time, each 50 ms after the last (never idle long), the rest on {@link #release()}. */
        DRIP,
        /** A chunked body without end (a hostile server), until the client closes or 256 MiB. */
        ENDLESS,
        /** Content-Length says 1 GiB, then the bytes come as with {@link #ENDLESS}. */
        OVERSIZED
    }

    /**
     * A canned answer; {@code takes} moves the test's clock on while it is being answered (an
     * answer that arrives later than it was asked for).
     */
    public record Reply(int status, String body, Map<String, String> headers, Hold hold, Duration takes) {
        public Reply(int status, String body, Map<String, String> headers) {
            this(status, body, headers, Hold.NONE, Duration.ZERO);
        }

        public Reply header(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Reply(status, body, h, hold, takes);
        }

        /** Held until {@link #release()}: longer than any request timeout, or until a test has done something. */
        public Reply held() {
            return new Reply(status, body, headers, Hold.HEADERS, takes);
        }

        /** Prompt headers and the first half of the body, then nothing until {@link #release()}. */
        public Reply trickled() {
            return new Reply(status, body, headers, Hold.BODY, takes);
        }

        /** Prompt headers, then the body a byte every 50 ms until {@link #release()}. */
        public Reply dripped() {
            return new Reply(status, body, headers, Hold.DRIP, takes);
        }

        /** A body that does not end: {@link Hold#ENDLESS}, or {@link Hold#OVERSIZED} when {@code declared}. */
        public Reply endless(boolean declared) {
            return new Reply(status, body, headers, declared ? Hold.OVERSIZED : Hold.ENDLESS, takes);
        }

        public Reply taking(Duration d) {
            return new Reply(status, body, headers, hold, d);
        }
    }

    /** What the fake saw. */
    public record Request(Instant at, String uri, String ifNoneMatch, String authorization, String userAgent,
                          String accept, String apiVersion) {
    }

    private final ConcurrentLinkedDeque<Reply> script = new ConcurrentLinkedDeque<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Reply fallback = notModified();
    private volatile CountDownLatch release = new CountDownLatch(1);
    private volatile InstantSource clock = InstantSource.system();
    private volatile Consumer<Duration> elapse = d -> { };
    private final Map<String, java.util.function.Function<Request, Reply>> routes = new java.util.concurrent.ConcurrentHashMap<>();
    private HttpServer server;
    private ExecutorService threads;
    private long limit = -1;
    private long remaining;
    private Instant resetAt;
    private Duration window = Duration.ofHours(1);
    private int overLimit;
    private int spent;

    public static Reply ok(String body) {
        return new Reply(200, body, Map.of("X-Poll-Interval", "1", "Content-Type", "application/json"));
    }

    public static Reply notModified() {
        return new Reply(304, "", Map.of("X-Poll-Interval", "1"));
    }

    public static Reply status(int status, String body) {
        return new Reply(status, body, Map.of());
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

    /** A fake on {@code port}: one the app was configured with while nothing listened there. */
    public static FakeGitHub on(int port) {
        FakeGitHub fake = new FakeGitHub();
        fake.listen(port);
        return fake;
    }

    private void listen() {
        listen(0);
    }

    private void listen(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        threads = Executors.newFixedThreadPool(4);
        server.setExecutor(threads);
        server.start();
    }

    @Override
    public void stop() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Stamps requests with {@code clock}; {@code elapse} is how a reply's {@code takes} moves it on. */
    public void useClock(InstantSource clock, Consumer<Duration> elapse) {
        this.clock = clock;
        this.elapse = elapse;
    }

    public void reset(Reply... replies) {
        release();
        release = new CountDownLatch(1);
        script.clear();
        script.addAll(List.of(replies));
        requests.clear();
        fallback = notModified();
        rateLimit(-1, null);
    }

    /**
     * Answers requests whose path starts with {@code pathPrefix} with {@code answer(request)}, scripts aside;
     * of several matching prefixes, the longest.
     */
    public void route(String pathPrefix, java.util.function.Function<Request, Reply> answer) {
        routes.put(pathPrefix, answer);
    }

    public void clearRoutes() {
        routes.clear();
    }

    /**
     * Counts requests as GitHub does from now on: {@code limit} until {@code reset} (a 304 costs
     * nothing), with X-RateLimit-* headers on every answer; past the limit a 403 "API rate limit
     * exceeded", counted by {@link #overLimit()}. Negative limit: off.
     */
    public synchronized void rateLimit(long limit, Instant reset) {
        rateLimit(limit, reset, Duration.ofHours(1));
    }

    /** As {@link #rateLimit(long, Instant)}, each window after the first lasting {@code window} instead of an hour. */
    public synchronized void rateLimit(long limit, Instant reset, Duration window) {
        this.window = window;
        this.limit = limit;
        this.remaining = limit;
        this.resetAt = reset;
        this.overLimit = 0;
        this.spent = 0;
    }

    /** Takes {@code requests} off the current window, as another client of the same token would; not counted as spent. */
    public synchronized void spend(long requests) {
        remaining = Math.max(0, remaining - requests);
    }

    /** Leaves at most {@code requests} in the current window, as another client of the same token would. */
    public synchronized void leave(long requests) {
        remaining = Math.min(remaining, requests);
    }

    /** What the current window has left. */
    public synchronized long remaining() {
        return remaining;
    }

    /** When the current window resets. */
    public synchronized Instant resetAt() {
        return resetAt;
    }

    /** Requests that counted against the limit (not the free 304s), since {@link #rateLimit}. */
    public synchronized int spent() {
        return spent;
    }

    /** Requests that came after the limit was spent: a budget that holds makes none. */
    public synchronized int overLimit() {
        return overLimit;
    }

    private synchronized Reply counted(Reply reply) {
        if (limit < 0) {
            return reply;
        }
        if (!clock.instant().isBefore(resetAt)) {
            remaining = limit;
            resetAt = resetAt.plus(window);
        }
        if (remaining == 0) {
            overLimit++;
            reply = status(403, "{\"message\":\"API rate limit exceeded\"}");
        } else if (reply.status() != 304) {
            remaining--;
            spent++;
        }
        return reply.header("X-RateLimit-Limit", Long.toString(limit))
                .header("X-RateLimit-Remaining", Long.toString(remaining))
                .header("X-RateLimit-Used", Long.toString(limit - remaining))
                .header("X-RateLimit-Reset", Long.toString(resetAt.getEpochSecond()));
    }

    public void then(Reply... replies) {
        script.addAll(List.of(replies));
    }

    /** Lets every held reply go on. */
    public void release() {
        release.countDown();
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    private void handle(HttpExchange exchange) {
        CountDownLatch held = release;
        try (exchange) {
            var h = exchange.getRequestHeaders();
            Request request = new Request(clock.instant(), exchange.getRequestURI().toString(),
                    h.getFirst("If-None-Match"), h.getFirst("Authorization"), h.getFirst("User-Agent"),
                    h.getFirst("Accept"), h.getFirst("X-GitHub-Api-Version"));
            requests.add(request);
            // The longest prefix wins: /repos/o/r/pulls/comments is not /repos/o/r/pulls.
            Reply reply = routes.entrySet().stream().filter(r -> exchange.getRequestURI().getPath().startsWith(r.getKey()))
                    .max(java.util.Comparator.comparingInt(r -> r.getKey().length()))
                    .map(r -> r.getValue().apply(request)).orElse(null);
            if (reply == null) {
                reply = script.pollFirst();
            }
            if (reply == null) {
                reply = fallback;
            }
            reply = counted(reply);
            elapse.accept(reply.takes());
            if (reply.hold() == Hold.HEADERS) {
                waitFor(held);
            }
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v.replace("{base}", baseUrl())));
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            if (reply.hold() == Hold.ENDLESS || reply.hold() == Hold.OVERSIZED) {
                endless(exchange, reply);
                return;
            }
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            if (reply.hold() == Hold.DRIP) {
                drip(exchange.getResponseBody(), body, held);
            } else if (body.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    int half = reply.hold() == Hold.BODY ? body.length / 2 : body.length;
                    os.write(body, 0, half);
                    os.flush();
                    if (half < body.length) {
                        waitFor(held);
                        os.write(body, half, body.length - half);
                    }
                }
            }
        } catch (IOException e) {
            // the client gave up (a timeout test): nothing more to answer
        }
    }

    private static void drip(OutputStream os, byte[] body, CountDownLatch held) throws IOException {
        try (os) {
            for (int i = 0; i < body.length; i++) {
                os.write(body[i]);
                os.flush();
                if (i < body.length - 1 && awaitFor(held, Duration.ofMillis(50))) {
                    os.write(body, i + 1, body.length - i - 1);
                    return;
                }
            }
        }
    }

    private static void endless(HttpExchange exchange, Reply reply) throws IOException {
        exchange.sendResponseHeaders(reply.status(), reply.hold() == Hold.OVERSIZED ? 1L << 30 : 0);
        byte[] block = new byte[64 * 1024];
        java.util.Arrays.fill(block, (byte) ' ');
        try (OutputStream os = exchange.getResponseBody()) {
            for (int sent = 0; sent < 256 * 1024 * 1024; sent += block.length) {
                os.write(block);
            }
        }
    }

    private static boolean awaitFor(CountDownLatch latch, Duration d) {
        try {
            return latch.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
