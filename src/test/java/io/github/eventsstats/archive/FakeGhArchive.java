package io.github.eventsstats.archive;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GH Archive at the HTTP edge: serves the hour files a test put here (with {@code Range}), 404 for
 * the others, and misbehaves per file as told: an error status a number of times, a body cut off
 * once, a truncated gzip file, a reply held (slow) or half a body then nothing until released.
 * Hand-written on the JDK's server like {@code FakeGitHub}: Range answers come from the bytes, and
 * held replies wait for the test, not for a clock.
 */
public final class FakeGhArchive implements QuarkusTestResourceLifecycleManager, AutoCloseable {

    static FakeGhArchive instance;

    /** The one Quarkus started for the running test's profile. */
    public static FakeGhArchive current() {
        return instance;
    }

    /** What one request asked for. */
    record Request(String name, String range) {
    }

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final Map<String, Integer> failStatus = new ConcurrentHashMap<>();
    private final Map<String, Boolean> cutOnce = new ConcurrentHashMap<>();
    private final Map<String, String> redirects = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> stalled = new ConcurrentHashMap<>();
    /** Bytes of each stalled body sent before the stall. */
    private final Map<String, Integer> stalledAt = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private HttpServer server;
    private ExecutorService threads;

    /** A server of its own, outside Quarkus. */
    static FakeGhArchive started() {
        FakeGhArchive fake = new FakeGhArchive();
        fake.listen();
        return fake;
    }

    @Override
    public Map<String, String> start() {
        listen();
        instance = this;
        return Map.of("archive.sync.url", url());
    }

    private void listen() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        threads = Executors.newCachedThreadPool();
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    @Override
    public void stop() {
        close();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void put(String name, byte[] gz) {
        files.put(name, gz);
    }

    /** Answers requests for {@code name} with a 302 to {@code location}. */
    void redirect(String name, String location) {
        redirects.put(name, location);
    }

    /** Answers {@code status} to the next {@code times} requests for {@code name}. */
    void fail(String name, int status, int times) {
        failStatus.put(name, status);
        failures.put(name, new AtomicInteger(times));
    }

    /** The next full answer for {@code name} sends its whole length but only half the bytes, then closes. */
    void cutOnce(String name) {
        cutOnce.put(name, true);
    }

    /** Nothing is answered for {@code name} until {@link #release}. */
    void hold(String name) {
        held.put(name, new CountDownLatch(1));
    }

    /** Half of the body of {@code name}, then nothing until {@link #release}. */
    void stall(String name) {
        stalled.put(name, new CountDownLatch(1));
    }

    void release(String name) {
        CountDownLatch h = held.remove(name);
        if (h != null) {
            h.countDown();
        }
        CountDownLatch s = stalled.remove(name);
        if (s != null) {
            s.countDown();
        }
    }

    /** How many bytes of the stalled {@code name} went out before the stall; null before then. */
    Integer stalledAfter(String name) {
        return stalledAt.get(name);
    }

    List<Request> requests() {
        return new ArrayList<>(requests);
    }

    List<Request> requests(String name) {
        return requests.stream().filter(r -> r.name().equals(name)).toList();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    void clearLog() {
        requests.clear();
        maxInFlight.set(0);
    }

    private void handle(HttpExchange exchange) {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try (exchange) {
            String name = exchange.getRequestURI().getPath().substring(1);
            String range = exchange.getRequestHeaders().getFirst("Range");
            requests.add(new Request(name, range));
            String location = redirects.get(name);
            if (location != null) {
                exchange.getResponseHeaders().set("Location", location);
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            CountDownLatch hold = held.get(name);
            if (hold != null) {
                await(hold);
            }
            AtomicInteger failing = failures.get(name);
            if (failing != null && failing.getAndDecrement() > 0) {
                exchange.sendResponseHeaders(failStatus.get(name), -1);
                return;
            }
            byte[] body = files.get(name);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            int from = 0;
            if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
                from = Integer.parseInt(range.substring(6, range.length() - 1));
                if (from >= body.length) {
                    exchange.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                exchange.getResponseHeaders().set("Content-Range",
                        "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/gzip");
            exchange.sendResponseHeaders(from > 0 ? 206 : 200, body.length - from);
            OutputStream out = exchange.getResponseBody();
            int half = from + (body.length - from) / 2;
            CountDownLatch stall = stalled.get(name);
            if (cutOnce.remove(name) != null) {
                out.write(body, from, half - from);
                out.flush();
                throw new IOException("cut"); // the exchange closes with bytes missing: a cut connection
            }
            if (stall != null) {
                out.write(body, from, half - from);
                out.flush();
                stalledAt.put(name, half);
                await(stall);
                out.write(body, half, body.length - half);
            } else {
                out.write(body, from, body.length - from);
            }
            out.close();
        } catch (IOException e) {
            // a cut body, or the client went away (killed)
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        held.values().forEach(CountDownLatch::countDown);
        stalled.values().forEach(CountDownLatch::countDown);
        server.stop(0);
        threads.shutdownNow();
    }
}
