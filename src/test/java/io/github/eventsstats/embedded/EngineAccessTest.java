package io.github.eventsstats.embedded;

import com.sun.net.httpserver.HttpServer;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.clickhouse.ClickHouseEndpoint;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded engine refuses what a ClickHouse server would: each attack that worked on its HTTP front
 * before it took a password, made GET read-only and turned off the file and network functions, and each
 * request a page of another origin can make a browser send.
 */
@QuarkusTest
class EngineAccessTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final Path files = Path.of("target", "engine-access-test").toAbsolutePath();
    /** A local server: reached, it would say the engine went on the network. */
    private HttpServer bystander;
    private final AtomicInteger reached = new AtomicInteger();

    @Inject
    ClickHouse clickHouse;
    @Inject
    ClickHouseEndpoint endpoint;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(files);
        clickHouse.execute("CREATE TABLE IF NOT EXISTS access_test (id UInt32, name String) ENGINE = MergeTree ORDER BY id");
        clickHouse.execute("TRUNCATE TABLE access_test");
        clickHouse.execute("CREATE TABLE IF NOT EXISTS access_victim (id UInt32) ENGINE = MergeTree ORDER BY id");
        bystander = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        bystander.createContext("/", exchange -> {
            reached.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        bystander.start();
    }

    @AfterEach
    void tearDown() {
        bystander.stop(0);
        // What an attack would have made had it got through (a run with a fix broken): an EmbeddedRocksDB table
        // whose directory is gone would stop the engine from starting for every later test.
        for (String table : List.of("access_rocks", "access_log", "access_exec", "access_file", "access_url",
                "access_web", "access_kafka", "access_mv", "access_get", "access_csrf", "access_attached")) {
            clickHouse.execute("DROP TABLE IF EXISTS " + table + " SYNC");
        }
        for (String database : List.of("access_fs", "access_mysql")) {
            clickHouse.execute("DROP DATABASE IF EXISTS " + database + " SYNC");
        }
    }

    private ClickHouseEndpoint.Target engine() {
        return endpoint.target();
    }

    private HttpResponse<String> post(String sql) throws IOException, InterruptedException {
        return post("", sql);
    }

    private HttpResponse<String> post(String params, String sql) throws IOException, InterruptedException {
        return http.send(EngineHttp.request(engine(), "/?database=" + clickHouse.database() + params)
                .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String sql, String params) throws IOException, InterruptedException {
        return http.send(EngineHttp.request(engine(), "/?database=" + clickHouse.database() + params + "&query="
                + URLEncoder.encode(sql, StandardCharsets.UTF_8)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String code(HttpResponse<String> r) {
        return r.headers().firstValue("X-ClickHouse-Exception-Code").orElse("none (" + r.statusCode() + ": " + r.body() + ")");
    }

    private boolean exists(String table) {
        return clickHouse.query("SELECT count() AS n FROM system.tables WHERE database = {db:String} AND name = {t:String}",
                Map.of("db", clickHouse.database(), "t", table)).getFirst().getLong("n") == 1;
    }

    private boolean victimExists() {
        return exists("access_victim");
    }

    @Test
    void aQueryWithoutTheEnginesUserAndPasswordIsRefused() throws Exception {
        String events = "DROP TABLE " + clickHouse.database() + ".access_victim";
        URI root = URI.create(engine().url() + "/");
        for (HttpRequest.Builder b : List.of(HttpRequest.newBuilder(root),
                HttpRequest.newBuilder(root).header("Authorization", basic(engine().user(), "wrong")),
                HttpRequest.newBuilder(root).header("Authorization", basic("someone", engine().password())),
                HttpRequest.newBuilder(root).header("X-ClickHouse-User", engine().user()).header("X-ClickHouse-Key", ""),
                HttpRequest.newBuilder(URI.create(engine().url() + "/?user=" + engine().user() + "&password="
                        + engine().password())))) {
            HttpResponse<String> r = http.send(b.POST(HttpRequest.BodyPublishers.ofString(events)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, r.statusCode(), r.body());
            assertEquals("516", code(r));
            assertFalse(r.body().contains(engine().password()), "the answer does not echo the password");
        }
        assertTrue(victimExists());

        // The ways ClickHouse's clients send them: basic authentication, or ClickHouse's own headers.
        assertEquals("1\n", post("SELECT 1").body());
        assertEquals("2\n", http.send(HttpRequest.newBuilder(root).header("X-ClickHouse-User", engine().user())
                .header("X-ClickHouse-Key", engine().password()).POST(HttpRequest.BodyPublishers.ofString("SELECT 2"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        // A ping needs none, as a server's does.
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(engine().url() + "/ping")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void noFileIsReadOrWrittenWhateverTheSpelling() throws Exception {
        Path written = files.resolve("written.txt");
        Path kept = files.resolve("kept.txt");
        Files.deleteIfExists(written);
        Files.writeString(kept, "kept\n");
        String w = written.toString();
        String k = kept.toString();
        for (String sql : List.of(
                "SELECT * FROM file('/etc/passwd', 'LineAsString')",
                "select * from /* a comment */ `file`('/etc/passwd', 'LineAsString')",
                "SELECT count() FROM (SELECT * FROM (SELECT * FROM \"file\"('/etc/passwd', LineAsString)))",
                "SELECT arrayMap(x -> file(x), ['/etc/passwd'])",
                "SELECT file('/etc/passwd')",
                "WITH '/etc/passwd' AS p SELECT file(p)",
                "INSERT INTO FUNCTION file('" + w + "', 'LineAsString') VALUES ('x')",
                "INSERT INTO FUNCTION file('" + k + "', 'LineAsString') SELECT 'x' SETTINGS engine_file_truncate_on_insert = 1",
                "SELECT 'x' INTO OUTFILE '" + w + "'",
                "SELECT 'x' INTO OUTFILE '" + k + "' TRUNCATE",
                "INSERT INTO access_test (name) FROM INFILE '/etc/passwd' FORMAT LineAsString",
                "CREATE TABLE access_file (s String) ENGINE = File(LineAsString, '/etc/passwd')",
                "CREATE TABLE access_file (s String) ENGINE = MergeTree ORDER BY s AS SELECT * FROM file('/etc/passwd')",
                "SELECT * FROM icebergLocal('" + files + "')",
                "ATTACH TABLE access_attached FROM '" + files + "' (id UInt32) ENGINE = MergeTree ORDER BY id")) {
            HttpResponse<String> r = post(sql);
            assertEquals("497", code(r), sql);
            assertEquals(403, r.statusCode(), sql);
            assertFalse(r.body().contains("root:"), sql);
        }
        assertFalse(Files.exists(written));
        assertEquals("kept\n", Files.readString(kept));
        assertEquals(0, clickHouse.query("SELECT count() AS n FROM access_test", Map.of()).getFirst().getLong("n"));
    }

    @Test
    void noOtherPortOrHostIsReached() throws Exception {
        int port = bystander.getAddress().getPort();
        String url = "http://127.0.0.1:" + port + "/";
        for (String sql : List.of(
                "SELECT * FROM url('" + url + "', 'TSV', 'x String')",
                "SELECT * FROM s3('" + url + "bucket/x.tsv', 'TSV', 'x String')",
                "SELECT * FROM remote('127.0.0.1:" + bystander.getAddress().getPort() + "', 'system.one')",
                "SELECT * FROM hdfs('hdfs://127.0.0.1:" + bystander.getAddress().getPort() + "/x', 'TSV', 'x String')",
                "SELECT * FROM mysql('127.0.0.1:" + bystander.getAddress().getPort() + "', 'db', 't', 'u', 'p')",
                "INSERT INTO FUNCTION url('" + url + "', 'TSV', 'x String') VALUES ('x')",
                "CREATE TABLE access_url (x String) ENGINE = URL('" + url + "', TSV)",
                "CREATE TABLE access_web (a Int) ENGINE = MergeTree ORDER BY a SETTINGS disk = disk(type = web,"
                        + " endpoint = '" + url + "')",
                "SELECT * FROM remoteSecure('127.0.0.1:" + port + "', 'system.one')",
                "SELECT * FROM postgresql('127.0.0.1:" + port + "', 'db', 't', 'u', 'p')",
                "SELECT * FROM mongodb('127.0.0.1:" + port + "', 'db', 't', 'u', 'p', 'x String')",
                "SELECT * FROM redis('127.0.0.1:" + port + "', 'k', 'k String')",
                "SELECT * FROM jdbc('jdbc:mysql://127.0.0.1:" + port + "/db', 't')",
                "SELECT * FROM odbc('DSN=x', 'db', 't')",
                "SELECT * FROM azureBlobStorage('" + url + "', 'c', 'b')",
                "CREATE TABLE access_kafka (x String) ENGINE = Kafka('127.0.0.1:" + port + "', 't', 'g', 'TSV')",
                "CREATE DATABASE access_mysql ENGINE = MySQL('127.0.0.1:" + port + "', 'db', 'u', 'p')",
                "CREATE DICTIONARY access_dict (k UInt64, v String) PRIMARY KEY k SOURCE(HTTP(url '" + url + "'"
                        + " format 'TSV')) LAYOUT(FLAT()) LIFETIME(0)",
                "SELECT * FROM executable('fetch.sh', 'TSV', 'x String')")) {
            HttpResponse<String> r = post(sql);
            assertEquals("497", code(r), sql);
        }
        // Not even read as a statement: the parser has no disk() in MODIFY SETTING.
        assertEquals(400, post("ALTER TABLE access_test MODIFY SETTING disk = DISK(type = web, endpoint = '" + url + "')")
                .statusCode());
        // A setting can name a host too: it is fixed at its default.
        assertEquals("452", code(post("&format_avro_schema_registry_url=" + URLEncoder.encode(url, StandardCharsets.UTF_8),
                "SELECT 1")));
        assertEquals(0, reached.get(), "a query reached another port");
    }

    @Test
    void noSettingNamesAFileToReadOrWrite() throws Exception {
        Path schema = files.resolve("written.proto");
        Path errors = files.resolve("errors.log");
        Files.deleteIfExists(schema);
        Files.deleteIfExists(errors);
        String passwd = URLEncoder.encode("/etc/passwd", StandardCharsets.UTF_8);
        for (HttpResponse<String> r : List.of(
                // Template reads its format from the file: its error quoted /etc/passwd.
                post("SELECT 1 AS data FORMAT Template SETTINGS format_template_row = '/etc/passwd'"),
                post("&format_template_resultset=" + passwd, "SELECT 1 AS data FORMAT Template"),
                post("SELECT 1 AS x FORMAT Protobuf SETTINGS format_schema = '/etc/passwd:M'"),
                post("SELECT 1 AS x FORMAT Protobuf SETTINGS output_format_schema = '" + schema + "'"),
                post("&input_format_record_errors_file_path=" + URLEncoder.encode(errors.toString(), StandardCharsets.UTF_8)
                        + "&input_format_allow_errors_num=10", "INSERT INTO access_test FORMAT CSV\nx,y\n"))) {
            assertEquals("452", code(r), r.body());
            assertFalse(r.body().contains("root:"), r.body());
        }
        assertFalse(Files.exists(schema));
        assertFalse(Files.exists(errors));
    }

    @Test
    void onlyEnginesThatKeepTheirDataInTheEnginesDirectoryAreCreated() throws Exception {
        Path rocks = Files.createTempDirectory(files, "rocks").resolve("db"); // a directory no run made before
        for (String sql : List.of(
                "CREATE TABLE access_rocks (k String, v String) ENGINE = EmbeddedRocksDB(0, '" + rocks + "') PRIMARY KEY k",
                "CREATE TABLE access_log (s String) ENGINE = FileLog('" + files + "', 'LineAsString')",
                "CREATE TABLE access_exec (s String) ENGINE = Executable('x.sh', TSV)",
                "CREATE DATABASE access_fs ENGINE = Filesystem('/etc')",
                "CREATE MATERIALIZED VIEW access_mv ENGINE = File(TSV) AS SELECT 1")) {
            HttpResponse<String> r = post(sql);
            assertEquals("497", code(r), sql);
        }
        assertFalse(Files.exists(rocks));
        // The ones the schema uses still are.
        assertEquals(200, post("CREATE TABLE IF NOT EXISTS access_sum (a Int) ENGINE = SummingMergeTree ORDER BY a").statusCode());
        assertEquals(200, post("CREATE MATERIALIZED VIEW IF NOT EXISTS access_sum_mv TO access_sum AS SELECT id AS a"
                + " FROM access_test").statusCode());
        post("DROP TABLE access_sum_mv");
        post("DROP TABLE access_sum");
    }

    @Test
    void onlyMergesOfTheSystemStatementsRun() throws Exception {
        for (String sql : List.of("SYSTEM SHUTDOWN", "SYSTEM DROP DNS CACHE", "SYSTEM FLUSH LOGS",
                "SYSTEM RELOAD DICTIONARIES", "CREATE FUNCTION access_f AS x -> x")) {
            assertEquals("497", code(post(sql)), sql);
        }
        assertEquals(200, post("SYSTEM STOP MERGES access_test").statusCode());
        assertEquals(200, post("SYSTEM START MERGES access_test").statusCode());
    }

    @Test
    void aRequestRunsOneStatementWhateverFollowsIt() throws Exception {
        for (String sql : List.of("SELECT 1; DROP TABLE access_victim", "SELECT 1 -- a comment\n;DROP TABLE access_victim",
                "SELECT ';'; DROP TABLE access_victim")) {
            HttpResponse<String> r = post(sql);
            assertEquals("62", code(r), sql);
            assertTrue(r.body().contains("Multi-statements are not allowed"), r.body());
        }
        // What follows an INSERT is rows, not statements: chDB's own splitter would run what follows an
        // empty line or a semicolon after them.
        for (String sql : List.of("INSERT INTO access_test FORMAT TSV\n1\tone\n\nDROP TABLE access_victim",
                "INSERT INTO access_test VALUES (1, 'one'); DROP TABLE access_victim",
                "INSERT INTO access_test VALUES (1, 'one');\nDROP TABLE access_victim")) {
            post(sql);
            assertTrue(victimExists(), sql);
        }
        clickHouse.execute("TRUNCATE TABLE access_test");
        // Rows in the text still go in, every one of them.
        assertEquals(200, post("INSERT INTO access_test FORMAT TSV\n1\tone\n2\ttwo;\n").statusCode());
        HttpResponse<String> values = post("insert into access_test (id, name) values (3, 'a;b'), (4, '\n\n')");
        assertEquals(200, values.statusCode(), values.body());
        // The body continues the statement in `query`, as on a server.
        HttpResponse<String> continued = post("&query=" + URLEncoder.encode("SELECT 1", StandardCharsets.UTF_8),
                "; DROP TABLE access_victim");
        assertEquals("62", code(continued));
        assertTrue(victimExists());
        assertEquals(List.of("one", "two;", "a;b", "\n\n"), clickHouse.query("SELECT name FROM access_test ORDER BY id",
                Map.of()).stream().map(r -> r.getString("name")).toList());
    }

    @Test
    void getRunsReadOnlyWhateverItAsks() throws Exception {
        assertEquals("1\n", get("SELECT 1", "").body());
        assertEquals("3\n", get("SELECT getSetting('max_threads')", "&max_threads=3").body(), "other settings still apply");
        for (String[] asked : new String[][] {
                {"CREATE TABLE access_get (a Int) ENGINE = MergeTree ORDER BY a", ""},
                {"DROP TABLE access_victim", ""},
                {"INSERT INTO access_test VALUES (9, 'nine')", ""},
                {"DROP TABLE access_victim", "&readonly=0"},
                {"SELECT 1 SETTINGS readonly = 0", ""},
                {"TRUNCATE TABLE access_victim", "&readonly=1"}}) {
            HttpResponse<String> r = get(asked[0], asked[1]);
            assertEquals(403, r.statusCode(), asked[0] + asked[1] + ": " + r.body());
            assertEquals("164", code(r), asked[0] + asked[1]);
        }
        assertEquals("497", code(get("SET readonly = DEFAULT", "")));
        assertTrue(victimExists());
        assertEquals(0, clickHouse.query("SELECT count() AS n FROM access_test", Map.of()).getFirst().getLong("n"));
        // And what a GET set is not left on its connection.
        assertEquals("0\n", post("SELECT getSetting('readonly')").body());
    }

    @Test
    void whatABrowserSendsForAPageOfAnotherOriginIsRefused() throws Exception {
        String ddl = "CREATE TABLE access_csrf (a Int) ENGINE = MergeTree ORDER BY a";
        // fetch(…, {mode: 'no-cors', method: 'POST'}) and a form post: the browser adds Origin. Even with the
        // password (a browser that had it cached), they are refused.
        for (String origin : List.of("http://evil.example", "null", engine().url())) {
            HttpResponse<String> r = http.send(EngineHttp.request(engine(), "/").header("Origin", origin)
                    .header("Sec-Fetch-Mode", "no-cors").POST(HttpRequest.BodyPublishers.ofString(ddl)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, r.statusCode(), origin);
        }
        // <img src="http://127.0.0.1:PORT/?query=…">: a GET without Origin and without the password.
        HttpResponse<String> img = http.send(HttpRequest.newBuilder(URI.create(engine().url() + "/?query="
                        + URLEncoder.encode(ddl, StandardCharsets.UTF_8))).header("Sec-Fetch-Dest", "image").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, img.statusCode());
        // A name of the attacker's that resolves to 127.0.0.1 (DNS rebinding): the Host says so.
        int port = URI.create(engine().url()).getPort();
        for (String host : List.of("evil.example:" + port, "127.0.0.1.nip.io:" + port, "127.0.0.1:" + (port + 1))) {
            assertTrue(rawPost(port, host, ddl).startsWith("HTTP/1.1 403"), host);
        }
        assertTrue(rawPost(port, "localhost:" + port, "SELECT 1").startsWith("HTTP/1.1 200"));
        assertFalse(exists("access_csrf"));
    }

    /** A POST with the engine's password and a Host of our choosing, which java.net.http does not let us set. */
    private String rawPost(int port, String host, String sql) throws IOException {
        byte[] body = sql.getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = s.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + EngineHttp.basic(engine())
                    + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void nothingARequestSetsOutlivesIt() throws Exception {
        for (String sql : List.of("SET max_threads = 1", "USE system", "CREATE TEMPORARY TABLE access_tmp (a Int)")) {
            HttpResponse<String> r = post(sql);
            assertEquals("497", code(r), sql);
            assertTrue(r.body().contains("URL parameters"), r.body());
        }
        for (String parser : List.of("dialect=kusto", "implicit_select=1")) {
            assertEquals(400, post("&" + parser, "SELECT 1").statusCode(), parser);
        }
    }

    @Test
    void aBodyOverTheBoundIsRefusedWhateverItsEncoding() throws Exception {
        // 65 MiB of zeros, gzipped to some 65 KB: the bound is on what the engine would hold.
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 65; i++) {
                out.write(zeros);
            }
        }
        HttpResponse<String> r = http.send(EngineHttp.request(engine(), "/?query="
                        + URLEncoder.encode("INSERT INTO access_test FORMAT RowBinary", StandardCharsets.UTF_8))
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(gzipped.toByteArray()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode(), r.body());
        assertTrue(r.body().contains("64 MiB"), r.body());
        assertEquals("1\n", post("SELECT 1").body());
    }

    @Test
    void healthDoesNotSayWhereTheEngineIs() {
        String port = Integer.toString(URI.create(engine().url()).getPort());
        String health = given().get("/q/health").then().extract().asString();
        assertTrue(health.contains("\"clickhouse\""), health);
        assertFalse(health.contains(port), health);
        assertFalse(health.contains("127.0.0.1"), health);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
