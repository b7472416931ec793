package io.github.eventsstats.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthcheckCommandTest {

    private HttpServer server;
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/up", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/down", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int check(String path) {
        return HealthcheckCommand.check(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path),
                new PrintWriter(err, true));
    }

    @Test
    void readyIs0AndAnythingElseIs1WithTheReason() throws IOException {
        assertEquals(0, check("/up"));
        assertEquals("", err.toString());

        assertEquals(1, check("/down"));
        assertTrue(err.toString().endsWith("/down answered 503\n"), err.toString());

        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertEquals(1, HealthcheckCommand.check(URI.create("http://127.0.0.1:" + closed + "/q/health/ready"),
                new PrintWriter(err, true)));
        assertTrue(err.toString().contains("Connection refused"), err.toString());
    }
}
