package io.github.eventsstats.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the HTTP layer refuses before any route, and the errors JAX-RS raises itself: all problems in words. */
@QuarkusTest
class RequestGateTest {

    @Test
    void aUrlLongerThanTheBoundIsAProblem414() {
        for (String path : List.of("/metrics/events?offset=1&pad=" + "a".repeat(5000),
                "/metrics/pr-average/" + "o".repeat(5000) + "/r")) {
            given().get(path).then().statusCode(414).contentType(Problem.MEDIA_TYPE)
                    .body("title", equalTo("Request-URI Too Long"))
                    .body("detail", equalTo("The request's URL is longer than 4096 characters; no URL of this API"
                            + " needs that many"))
                    .body(not(containsString("aaaa")));
        }
        given().get("/metrics/events?offset=1&pad=" + "a".repeat(3000)).then().statusCode(200);
    }

    @Test
    void aBodyLargerThanTheBoundIsAProblem413AndTheConnectionCloses() throws IOException {
        // The answer comes at the headers: the rest of the 100 KiB is never sent, nor read.
        String answer = raw(bigBody("/admin/archive/sync"));
        assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
        assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), answer);
        assertTrue(answer.contains("application/problem+json"), answer);
        assertTrue(answer.contains("\"detail\":\"The request's body is larger than 64 KiB; no endpoint of this API"
                + " reads a body, so send none\",\"instance\":\"/admin/archive/sync\""), answer);
        given().body(new byte[1024]).contentType("application/octet-stream").post("/metrics/events?offset=1")
                .then().statusCode(405);
    }

    @Test
    void aChunkedBodyLargerThanTheBoundIsAProblem413AsADeclaredOneIs() throws IOException {
        for (String target : List.of("POST /admin/archive/sync", "PUT /watch/o/r", "GET /metrics/events?offset=1")) {
            String path = target.substring(target.indexOf(' ') + 1).replaceAll("\\?.*", "");
            String answer = raw(chunked(target, 100 * 1024));
            assertTrue(answer.startsWith("HTTP/1.1 413 "), target + ": " + answer);
            assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), answer);
            assertTrue(answer.contains("application/problem+json"), answer);
            assertTrue(answer.contains("\"detail\":\"The request's body is larger than 64 KiB; no endpoint of this"
                    + " API reads a body, so send none\",\"instance\":\"" + path + "\""), answer);
        }
        // Under the bound a chunked body is dropped, and the request answered as without one.
        assertTrue(raw(chunked("GET /metrics/events?offset=1", 60 * 1024)).startsWith("HTTP/1.1 200 "));
        assertTrue(raw(chunked("POST /metrics/events?offset=1", 1024)).startsWith("HTTP/1.1 405 "));
    }

    /** A request whose body of {@code bytes} comes in chunks of 4 KiB, without a length. */
    private static String chunked(String target, int bytes) {
        StringBuilder request = new StringBuilder(target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int sent = 0; sent < bytes; sent += 4096) {
            int n = Math.min(4096, bytes - sent);
            request.append(Integer.toHexString(n)).append("\r\n").append("x".repeat(n)).append("\r\n");
        }
        return request.append("0\r\n\r\n").toString();
    }

    /** A POST declaring a body of 100 KiB, and its first KiB. */
    private static String bigBody(String path) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: " + 100 * 1024 + "\r\n\r\n" + "x".repeat(1024);
    }

    @Test
    void dotSegmentsPlainOrEscapedAreProblem404sNeverTheDashboard() throws IOException {
        for (String path : List.of("/metrics/pr-average/%2e%2e/%2e%2e", "/metrics/pr-average/%2E%2e/%2e%2E",
                "/metrics/%2e%2e", "/metrics/pr-average/%2e/x", "/metrics/pr-average/../..", "/q/../metrics/events")) {
            String answer = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\nConnection: close\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 404 "), path + ": " + answer);
            assertTrue(answer.contains("application/problem+json"), path + ": " + answer);
            assertTrue(answer.contains("\"detail\":\"No resource at " + path + ": a path of this API has no '.' or '..'"
                    + " segment (nor %2e, their escaped form); see /q/swagger-ui\""), path + ": " + answer);
            assertFalse(answer.contains("<html") || answer.contains("<!DOCTYPE"), path + ": the dashboard's page");
        }
        given().get("/debug/repo-events/octo/a..b").then().statusCode(200); // dots within a name are fine
    }

    @Test
    void aWrongMethodIsAProblem405InWords() {
        given().post("/metrics/events?offset=5").then().statusCode(405).contentType(Problem.MEDIA_TYPE)
                .body("detail", equalTo("POST is not allowed on /metrics/events; /q/swagger-ui lists the methods"
                        + " each path answers"));
    }

    @Test
    void anAcceptHeaderNoAnswerMeetsIsAProblem406InWords() {
        Response response = given().accept("text/csv").get("/metrics/events?offset=1");
        ApiPlatformTest.assertProblem(response, 406, "Not Acceptable", "/metrics/events");
        response.then().body("detail", equalTo("No answer of /metrics/events is of a type the Accept header allows"
                        + " (it says \"text/csv\"); this API answers application/json, and its errors"
                        + " application/problem+json"))
                .body("detail", not(containsString("@"))).body("detail", not(containsString("Produces")));
    }

    @Test
    void refusalsBeforeRoutingShareTheUnmatchedUriTag() throws IOException {
        for (int i = 0; i < 5; i++) {
            given().get("/gate-long-" + i + "?pad=" + "a".repeat(5000)).then().statusCode(414);
            assertTrue(raw(bigBody("/gate-big-" + i)).startsWith("HTTP/1.1 413 "));
        }
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertFalse(metrics.contains("gate-"), "a series per refused path would exhaust the tag budget");
        assertTrue(metrics.contains("status=\"414\",uri=\"UNMATCHED\""), metrics);
        assertTrue(metrics.contains("status=\"413\",uri=\"UNMATCHED\""), metrics);
    }

    /** One request as written, on a connection of its own: no client rewrites its path. */
    private static String raw(String request) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
