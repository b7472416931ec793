package io.github.eventsstats.embedded;

import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.internal.CompressedBlockInputStream;
import com.clickhouse.client.api.internal.CompressedBlockOutputStream;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseFormat;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.clickhouse.ClickHouseEndpoint;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded engine's HTTP front, through clickhouse-java and as curl would use it. */
@QuarkusTest
class EngineHttpFrontTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Inject
    ClickHouse clickHouse;
    @Inject
    ClickHouseEndpoint endpoint;

    @BeforeEach
    void table() {
        clickHouse.execute("CREATE TABLE IF NOT EXISTS front_test (id UInt32, name String) ENGINE = MergeTree ORDER BY id");
        clickHouse.execute("TRUNCATE TABLE front_test");
    }

    private HttpResponse<String> post(String params, String body) throws IOException, InterruptedException {
        return http.send(EngineHttp.request(endpoint.target(), "/?" + params).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void clientInsertsAndQueriesWithParameters() {
        String tricky = "it's a \\ back'slash; DROP TABLE front_test -- ünïcødé 🚀";
        String rows = "{\"id\":1,\"name\":\"plain\"}\n{\"id\":2,\"name\":" + jsonString(tricky) + "}\n";
        ClickHouse.await(clickHouse.client().insert("front_test",
                new ByteArrayInputStream(rows.getBytes(StandardCharsets.UTF_8)), ClickHouseFormat.JSONEachRow)).close();

        List<GenericRecord> found = clickHouse.query(
                "SELECT id, name FROM front_test WHERE name = {name:String} AND id > {min:UInt32}",
                Map.of("name", tricky, "min", 0));

        assertEquals(1, found.size());
        assertEquals(2, found.getFirst().getInteger("id"));
        assertEquals(tricky, found.getFirst().getString("name"));
        assertEquals(2, clickHouse.query("SELECT count() AS c FROM front_test", Map.of()).getFirst().getLong("c"));
    }

    @Test
    void binaryInsertsHoldingEmptyLinesStoreEveryRow() {
        // id 0x0A0A is "\n\n" in RowBinary; data inlined after the query text used to end there.
        java.io.ByteArrayOutputStream rows = new java.io.ByteArrayOutputStream();
        for (int id : new int[] {1, 0x0A0A, 3, 0x0A0A0A0A}) {
            rows.writeBytes(new byte[] {(byte) id, (byte) (id >>> 8), (byte) (id >>> 16), (byte) (id >>> 24)});
            rows.writeBytes(new byte[] {2, '\n', '\n'});
        }
        ClickHouse.await(clickHouse.client().insert("front_test", new ByteArrayInputStream(rows.toByteArray()),
                ClickHouseFormat.RowBinary)).close();

        assertEquals(List.of(1L, 3L, 0x0A0AL, 0x0A0A0A0AL), clickHouse.query("SELECT id FROM front_test ORDER BY id",
                Map.of()).stream().map(r -> r.getLong("id")).toList());
    }

    @Test
    void engineErrorsReachTheClientWithTheirCode() {
        ServerException missing = assertThrows(ServerException.class,
                () -> clickHouse.query("SELECT * FROM no_such_table_here", Map.of()));
        assertEquals(60, missing.getCode());
        ServerException syntax = assertThrows(ServerException.class, () -> clickHouse.query("SELEC 1", Map.of()));
        assertEquals(62, syntax.getCode());
    }

    @Test
    void pingAnswersOk() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(endpoint.target().url() + "/ping")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("Ok.\n", r.body());
    }

    @Test
    void curlStyleInsertWithTheQueryInTheUrlAndDataInTheBody() throws Exception {
        String db = "database=" + clickHouse.database();
        HttpResponse<String> insert = post(db + "&query=" + enc("INSERT INTO front_test FORMAT TSV"), "7\tseven\n8\teight\n");
        assertEquals(200, insert.statusCode(), insert.body());
        assertTrue(insert.headers().firstValue("X-ClickHouse-Summary").orElse("").contains("\"written_rows\":\"2\""));

        HttpResponse<String> select = post(db + "&default_format=JSONEachRow&param_min=7",
                "SELECT id, name FROM front_test WHERE id >= {min:UInt32} ORDER BY id");
        assertEquals(200, select.statusCode(), select.body());
        assertEquals("{\"id\":7,\"name\":\"seven\"}\n{\"id\":8,\"name\":\"eight\"}\n", select.body());
        assertTrue(select.headers().firstValue("Content-Type").orElse("").startsWith("application/x-ndjson"));
        assertEquals("UTC", select.headers().firstValue("X-ClickHouse-Timezone").orElse(""));
    }

    @Test
    void errorsAreHttp500WithTheExceptionCodeHeader() throws Exception {
        HttpResponse<String> r = post("", "SELECT throwIf(1, 'boom')");
        assertEquals(500, r.statusCode());
        assertEquals("395", r.headers().firstValue("X-ClickHouse-Exception-Code").orElse(""));
        assertTrue(r.body().startsWith("Code: 395. DB::Exception:"), r.body());
    }

    @Test
    void urlSettingsApplyToOneRequestOnly() throws Exception {
        String query = "SELECT getSetting('max_result_rows')";
        String defaultValue = post("", query).body();
        assertEquals("1234\n", post("max_result_rows=1234", query).body());
        assertEquals(defaultValue, post("", query).body());
        HttpResponse<String> bad = post("no_such_setting_xyz=1", query);
        assertEquals(500, bad.statusCode());
        assertEquals("115", bad.headers().firstValue("X-ClickHouse-Exception-Code").orElse(""));
    }

    @Test
    void concurrentRequestsNeverSeeEachOthersDatabaseSettingsOrParameters() throws Exception {
        String[] databases = {"default", "system", "information_schema", clickHouse.database()};
        try (var pool = Executors.newFixedThreadPool(databases.length)) {
            List<Future<List<String>>> wrong = new ArrayList<>();
            for (int t = 0; t < databases.length; t++) {
                int me = t;
                wrong.add(pool.submit(() -> {
                    List<String> seen = new ArrayList<>();
                    for (int i = 0; i < 150; i++) {
                        String expected = databases[me] + "\t" + (1000 + me) + "\t" + (me * 1000 + i) + "\n";
                        String got = post("database=" + databases[me] + "&max_block_size=" + (1000 + me)
                                        + "&param_v=" + (me * 1000 + i),
                                "SELECT currentDatabase(), getSetting('max_block_size'), {v:UInt32}").body();
                        if (!got.equals(expected)) {
                            seen.add(got.strip() + " instead of " + expected.strip());
                        }
                    }
                    return seen;
                }));
            }
            for (Future<List<String>> f : wrong) {
                assertEquals(List.of(), f.get(2, TimeUnit.MINUTES));
            }
        }
        // And what they set stays theirs: a request that names no database runs in `default`.
        assertEquals("default\n", post("", "SELECT currentDatabase()").body());
    }

    @Test
    void queriesOnDifferentConnectionsRunSideBySide() throws Exception {
        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return post("", "SELECT sleep(2), 'side-by-side'");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // Seen running from a second connection: with one connection this would wait for it to end.
        await().atMost(Duration.ofSeconds(30)).until(() -> !post("",
                "SELECT count() FROM system.processes WHERE query LIKE '%''side-by-side''%' AND query NOT LIKE '%processes%'")
                .body().equals("0\n"));
        assertEquals(200, slow.get(30, TimeUnit.SECONDS).statusCode());
    }

    @Test
    void aQueryItsClientGaveUpOnGivesItsConnectionBack() throws Exception {
        HttpClient impatient = HttpClient.newBuilder().build();
        for (int i = 0; i < 2; i++) { // as many as there are connections
            HttpRequest slow = EngineHttp.request(endpoint.target(), "/")
                    .timeout(Duration.ofMillis(200)).POST(HttpRequest.BodyPublishers.ofString("SELECT sleep(1)")).build();
            assertThrows(java.net.http.HttpTimeoutException.class,
                    () -> impatient.send(slow, HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> post("", "SELECT 7").body().equals("7\n"));
    }

    @Test
    void answersAndRequestBodiesTravelInClickHousesLz4Transport() throws Exception {
        // Over a MiB of answer: several blocks, each checked by the client's own reader.
        String text = new String(lz4Answer("TSV", "SELECT number FROM numbers(400000)"), StandardCharsets.US_ASCII);
        assertEquals(400000, text.lines().count());
        assertTrue(text.endsWith("399999\n"));

        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        try (var out = new CompressedBlockOutputStream.LZ4OutputStream(body, LZ4Factory.safeInstance().fastCompressor(),
                65536)) {
            out.write("5\tfive\n6\tsix\n".getBytes(StandardCharsets.UTF_8));
        }
        String insert = "/?decompress=1&database=" + clickHouse.database()
                + "&query=" + enc("INSERT INTO front_test FORMAT TSV");
        assertEquals(200, http.send(EngineHttp.request(endpoint.target(), insert).POST(HttpRequest.BodyPublishers.ofByteArray(
                body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals("5\tfive\n6\tsix\n", post("database=" + clickHouse.database(),
                "SELECT id, name FROM front_test ORDER BY id").body());

        byte[] damaged = body.toByteArray();
        damaged[damaged.length - 3] ^= 1;
        HttpResponse<String> refused = http.send(EngineHttp.request(endpoint.target(), insert).POST(
                HttpRequest.BodyPublishers.ofByteArray(damaged)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, refused.statusCode());
        assertEquals("40", refused.headers().firstValue("X-ClickHouse-Exception-Code").orElse(""), refused.body());
    }

    @Test
    void anIncompressibleAnswerTravelsInLz4BlocksToo() throws Exception {
        // Random bytes do not shrink: each block's LZ4 output is larger than its input.
        byte[] answer = lz4Answer("RowBinary", "SELECT randomString(3000000)");
        assertEquals(4 + 3000000, answer.length); // a 4-byte varint length, then the string
    }

    /** The answer to {@code sql} with {@code compress=1}, read by the client's own block reader. */
    private byte[] lz4Answer(String format, String sql) throws IOException, InterruptedException {
        HttpResponse<java.io.InputStream> answer = http.send(EngineHttp.request(endpoint.target(),
                        "/?compress=1&default_format=" + format)
                .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, answer.statusCode());
        try (var in = new CompressedBlockInputStream(answer.body(), LZ4Factory.safeInstance().fastDecompressor(), 65536)) {
            return in.readAllBytes();
        }
    }

    @Test
    void gzipAnswersAndRequestBodiesAsAServersAre() throws Exception {
        java.io.ByteArrayOutputStream gzipped = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gzipped)) {
            out.write("SELECT number FROM numbers(100000)".getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<byte[]> answer = http.send(EngineHttp.request(endpoint.target(), "/?enable_http_compression=1")
                .header("Content-Encoding", "gzip").header("Accept-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzipped.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, answer.statusCode());
        assertEquals("gzip", answer.headers().firstValue("Content-Encoding").orElse(""));
        String text = new String(new java.util.zip.GZIPInputStream(new ByteArrayInputStream(answer.body())).readAllBytes(),
                StandardCharsets.US_ASCII);
        assertEquals(100000, text.lines().count());
        assertTrue(answer.body().length < text.length() / 2, "the answer is compressed");
    }

    @Test
    void aCompressedBodyWhoseBlocksDoNotFitItIsRefused() throws Exception {
        byte[] header = new byte[25]; // one block header claiming 2 GiB, and nothing after it
        java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .put(16, (byte) 0x82).putInt(17, Integer.MAX_VALUE).putInt(21, Integer.MAX_VALUE);
        HttpResponse<String> refused = http.send(EngineHttp.request(endpoint.target(), "/?decompress=1").POST(HttpRequest.BodyPublishers.ofByteArray(header)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, refused.statusCode());
        assertEquals("40", refused.headers().firstValue("X-ClickHouse-Exception-Code").orElse(""), refused.body());
        assertEquals("1\n", post("", "SELECT 1").body());
    }

    @Test
    void theReservedLaneAnswersWhileEverySharedConnectionIsBusy() throws Exception {
        try (HeldQueries held = new HeldQueries().hold(endpoint.target(), 2)) { // both shared connections
            HttpResponse<String> reserved = http.send(EngineHttp.request(endpoint.target(), "/")
                    .header(ClickHouse.LANE_HEADER, "reserved")
                    .POST(HttpRequest.BodyPublishers.ofString("SELECT 'reserved lane'")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("reserved lane\n", reserved.body());
            // And a query that may wait at most its max_execution_time is told so, not left waiting.
            HttpResponse<String> impatient = post("max_execution_time=0.2", "SELECT 1");
            assertEquals(500, impatient.statusCode());
            assertEquals("159", impatient.headers().firstValue("X-ClickHouse-Exception-Code").orElse(""));
        }
        assertEquals("1\n", post("", "SELECT 1").body());
    }

    private static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
