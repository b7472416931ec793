package io.github.eventsstats.embedded;

import com.clickhouse.client.api.ClientException;
import com.clickhouse.client.api.internal.CompressedBlockInputStream;
import com.clickhouse.client.api.internal.CompressedBlockOutputStream;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.eventsstats.clickhouse.ClickHouse;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;
import net.jpountz.lz4.LZ4SafeDecompressor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The part of the ClickHouse HTTP interface that clickhouse-java and curl use, answered by chDB.
 *
 * <p>Each request takes one of the engine's connections for its duration, so as many queries run
 * at once as there are connections; the database and settings a request asks for are set on its
 * connection and undone before the next request gets it. Requests marked with {@link ClickHouse#LANE_HEADER}
 * (the service's health probes and ingest writer) also have reserved connections of their own,
 * which no other request takes, so they never wait behind a queue of API queries. Answers and
 * request bodies may use ClickHouse's LZ4 transport ({@code compress=1}, {@code decompress=1}), as
 * a server's do, through clickhouse-java's own block reader and writer.
 */
final class EngineServer implements AutoCloseable {

    /** URL parameters that steer the HTTP exchange; every other one is a query-level setting. */
    private static final Set<String> TRANSPORT_PARAMS = Set.of("query", "database", "default_format", "query_id",
            "user", "password", "quota_key", "compress", "decompress", "enable_http_compression",
            "http_zlib_compression_level", "wait_end_of_query", "send_progress_in_http_headers", "session_id",
            "session_timeout", "session_check", "buffer_size", "client_protocol_version", "role",
            "http_headers_progress_interval_ms", "cancel_http_readonly_queries_on_client_close", "log_comment");
    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern ERROR_CODE = Pattern.compile("Code: (\\d+)");
    /** {@code INSERT INTO t [(cols)] FORMAT F}, as clients send it with the rows in the body. */
    private static final Pattern INSERT_FORMAT =
            Pattern.compile("(?is)\\s*(INSERT\\s+INTO\\s.*?)\\s+FORMAT\\s+([A-Za-z0-9_]+)\\s*;?\\s*");
    private static final int BAD_ARGUMENTS = 36;
    private static final int CHECKSUM_DOESNT_MATCH = 40;
    private static final int TIMEOUT_EXCEEDED = 159;
    private static final int UNKNOWN_SETTING = 115;

    /** ClickHouse's max_compress_block_size: the plain bytes in one LZ4 block of an answer. */
    static final int BLOCK_SIZE = 1 << 20;
    private static final LZ4Compressor LZ4_WRITER = LZ4Factory.fastestInstance().fastCompressor();
    /**
     * The client's block writer compresses into a buffer of the size it is given, which a full block of
     * incompressible bytes outgrows: it is given room for LZ4's worst case, and a block is ended
     * ({@code flush}) after every {@link #BLOCK_SIZE} bytes.
     */
    private static final int LZ4_BUFFER = LZ4_WRITER.maxCompressedLength(BLOCK_SIZE);
    /** ClickHouse's compressed block: a 16-byte CityHash128, the method byte, then two int32 sizes. */
    private static final int CHECKSUM = 16;
    private static final int HEADER = 9;
    private static final byte METHOD_LZ4 = (byte) 0x82;
    private static final byte METHOD_NONE = 0x02;
    /** Larger plain sizes in a block's header mean a corrupt stream, not a block to allocate for. */
    private static final int MAX_BLOCK = 1 << 28;
    private static final LZ4FastDecompressor LZ4_READER = new BoundsCheckedLz4(LZ4Factory.fastestInstance().safeDecompressor());

    /**
     * lz4's bounds-checked decoder (its C library when lz4-java's JNI part loads, else Java) in the shape the
     * client's block reader takes. lz4-java's own decompressor of that shape is Java only: under the engine
     * process's C1 it read 212 MB/s where this reads 742 MB/s (a 63 MB body of 1 MiB blocks, best of 15).
     * The reader hands each block over in an array of exactly its compressed size, so the block's length
     * is what follows {@code srcOff}; a block that does not decode to {@code destLen} bytes is refused.
     */
    private static final class BoundsCheckedLz4 extends LZ4FastDecompressor {
        private final LZ4SafeDecompressor safe;

        BoundsCheckedLz4(LZ4SafeDecompressor safe) {
            this.safe = safe;
        }

        @Override
        public int decompress(byte[] src, int srcOff, byte[] dest, int destOff, int destLen) {
            int n = safe.decompress(src, srcOff, src.length - srcOff, dest, destOff, destLen);
            if (n != destLen) {
                throw new LZ4Exception("a block decoded to " + n + " bytes where its header says " + destLen);
            }
            return src.length - srcOff;
        }

        @Override
        public int decompress(ByteBuffer src, int srcOff, ByteBuffer dest, int destOff, int destLen) {
            throw new UnsupportedOperationException("the block reader passes arrays");
        }
    }

    /** A connection of the pool and what was set on it; one request holds it at a time. */
    private static final class Connection {
        final Chdb chdb;
        final boolean reserved;
        String currentDatabase = "default";

        Connection(Chdb chdb, boolean reserved) {
            this.chdb = chdb;
            this.reserved = reserved;
        }
    }

    private final List<Connection> connections;
    private final BlockingQueue<Connection> idle;
    private final BlockingQueue<Connection> reservedIdle;
    private final int reservedCount;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String timezone;
    private final String version;

    /**
     * @param connections the engine's connections to one data path; their queries run in parallel,
     *                    each request holding one for its duration (a connection runs one query at a time)
     * @param reserved    how many of them, the last ones, only requests of the reserved lane take
     */
    EngineServer(List<Chdb> connections, int reserved, String host, int port) throws IOException {
        if (reserved < 0 || reserved >= connections.size()) {
            throw new IllegalArgumentException("reserved connections must leave one for everyone: "
                    + reserved + " of " + connections.size());
        }
        int shared = connections.size() - reserved;
        this.connections = java.util.stream.IntStream.range(0, connections.size())
                .mapToObj(i -> new Connection(connections.get(i), i >= shared)).toList();
        this.idle = new ArrayBlockingQueue<>(shared, true, this.connections.subList(0, shared));
        this.reservedIdle = new ArrayBlockingQueue<>(Math.max(1, reserved), true,
                this.connections.subList(shared, connections.size()));
        this.reservedCount = reserved;
        // A thread per request: one waiting for a connection must not hold up a ping or a reserved-lane
        // request behind it. How many API queries wait is bounded by the service, not here.
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "engine-http");
            t.setDaemon(true);
            return t;
        });
        this.timezone = scalar(this.connections.getFirst(), "SELECT timezone()");
        this.version = scalar(this.connections.getFirst(), "SELECT version()");
        this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Stops taking requests and waits for the running queries, so every connection is idle. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
            for (int i = 0; i < connections.size() - reservedCount; i++) {
                idle.poll(10, TimeUnit.SECONDS);
            }
            for (int i = 0; i < reservedCount; i++) {
                reservedIdle.poll(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String scalar(Connection c, String sql) {
        Chdb.Result r = c.chdb.query(sql.getBytes(StandardCharsets.UTF_8), "TabSeparated", List.of());
        try {
            if (r.error() != null) {
                throw new IllegalStateException(r.error());
            }
            return new String(r.output().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8).trim();
        } finally {
            c.chdb.free(r);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Map<String, String> params = parseQueryString(exchange.getRequestURI().getRawQuery());
            if (path.equals("/ping") || (path.equals("/") && method.equals("GET") && !params.containsKey("query"))) {
                send(exchange, 200, "text/plain; charset=UTF-8", "Ok.\n");
                return;
            }
            if (!path.equals("/")) {
                sendError(exchange, 404, BAD_ARGUMENTS, "There is no handle " + path
                        + ". Use / for queries and /ping for health.");
                return;
            }
            if (!method.equals("GET") && !method.equals("POST")) {
                sendError(exchange, 405, BAD_ARGUMENTS, "HTTP method " + method + " is not supported");
                return;
            }
            execute(exchange, params);
        } catch (RuntimeException e) {
            System.err.println("engine: request failed: " + e);
        }
    }

    private void execute(HttpExchange exchange, Map<String, String> params) throws IOException {
        Headers in = exchange.getRequestHeaders();
        byte[] body;
        try {
            body = readBody(exchange, "1".equals(params.get("decompress")));
        } catch (IOException e) {
            sendError(exchange, 400, CHECKSUM_DOESNT_MATCH, "Cannot read the compressed request body (decompress=1): "
                    + e.getMessage());
            return;
        }
        String query = params.get("query");
        byte[] sql;
        Path infile = null;
        Matcher insertFormat = query == null ? null : INSERT_FORMAT.matcher(query);
        if (query == null) {
            sql = body;
        } else if (body.length == 0) {
            sql = query.getBytes(StandardCharsets.UTF_8);
        } else if (insertFormat.matches()) {
            // The engine ends data inlined after an INSERT at the first empty line, so binary rows
            // that happen to hold two 0x0A bytes were cut short. From a file, all of it is read.
            infile = Files.createTempFile("engine-insert-", ".data");
            Files.write(infile, body);
            String file = infile.toString().replace("\\", "\\\\").replace("'", "\\'");
            sql = (insertFormat.group(1) + " FROM INFILE '" + file + "' FORMAT " + insertFormat.group(2))
                    .getBytes(StandardCharsets.UTF_8);
        } else {
            byte[] head = (query + "\n").getBytes(StandardCharsets.UTF_8);
            sql = new byte[head.length + body.length];
            System.arraycopy(head, 0, sql, 0, head.length);
            System.arraycopy(body, 0, sql, head.length, body.length);
        }
        if (sql.length == 0) {
            sendError(exchange, 400, BAD_ARGUMENTS, "Empty query");
            return;
        }
        String format = firstNonBlank(in.getFirst("X-ClickHouse-Format"), params.get("default_format"), "TabSeparated");
        String database = firstNonBlank(in.getFirst("X-ClickHouse-Database"), params.get("database"), null);
        String queryId = firstNonBlank(in.getFirst("X-ClickHouse-Query-Id"), params.get("query_id"),
                UUID.randomUUID().toString());
        List<String[]> queryParams = new ArrayList<>();
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (p.getKey().startsWith("param_")) {
                queryParams.add(new String[] {p.getKey().substring("param_".length()), p.getValue()});
            } else if (!TRANSPORT_PARAMS.contains(p.getKey())) {
                settings.put(p.getKey(), p.getValue());
            }
        }
        Headers out = exchange.getResponseHeaders();
        out.set("X-ClickHouse-Query-Id", queryId);
        out.set("X-ClickHouse-Timezone", timezone);
        out.set("X-ClickHouse-Server-Display-Name", "chdb-embedded");
        out.set("X-ClickHouse-Format", format);

        boolean reservedLane = reservedCount > 0 && "reserved".equals(in.getFirst(ClickHouse.LANE_HEADER));
        long waitNanos = maxExecutionNanos(settings.get("max_execution_time"));
        Connection c;
        try {
            c = acquire(reservedLane, waitNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sendError(exchange, 503, 1000, "the engine is shutting down");
            return;
        }
        if (c == null) {
            sendError(exchange, 500, TIMEOUT_EXCEEDED, "Timeout exceeded: the query waited its max_execution_time"
                    + " for a free engine connection. (TIMEOUT_EXCEEDED)");
            return;
        }
        try {
            // A request without a database runs in `default`, not in the last request's one.
            String error = useDatabase(c, database == null ? "default" : database);
            if (error == null) {
                error = applySettings(c, settings);
            }
            if (error != null) {
                resetSettings(c, settings);
                sendError(exchange, 500, code(error), error);
                return;
            }
            Chdb.Result result = c.chdb.query(sql, format, queryParams);
            try {
                resetSettings(c, settings);
                if (result.error() != null) {
                    sendError(exchange, 500, code(result.error()), result.error());
                    return;
                }
                out.set("X-ClickHouse-Summary", summary(result));
                boolean gzip = "1".equals(params.get("enable_http_compression"))
                        && String.valueOf(in.getFirst("Accept-Encoding")).contains("gzip");
                sendResult(exchange, contentType(format), result, gzip, "1".equals(params.get("compress")));
            } finally {
                c.chdb.free(result);
            }
        } finally {
            (c.reserved ? reservedIdle : idle).add(c);
            if (infile != null) {
                Files.deleteIfExists(infile);
            }
        }
    }

    /**
     * A connection for one request, or null when none became free in {@code waitNanos} (0: no bound). The
     * reserved lane takes its own connection, or a shared one that is idle at this moment, and waits only
     * for its own; every other request waits for a shared one.
     */
    private Connection acquire(boolean reservedLane, long waitNanos) throws InterruptedException {
        if (!reservedLane) {
            return waitNanos > 0 ? idle.poll(waitNanos, TimeUnit.NANOSECONDS) : idle.take();
        }
        Connection c = reservedIdle.poll();
        if (c == null) {
            c = idle.poll();
        }
        return c != null ? c : reservedIdle.take();
    }

    /**
     * A query's max_execution_time (seconds) bounds its wait for a connection too, so a client's deadline
     * holds when the engine is busy with other clients' queries; 0 when unset or unreadable (the SET
     * reports the latter).
     */
    static long maxExecutionNanos(String seconds) {
        try {
            double s = seconds == null ? 0 : Double.parseDouble(seconds);
            return s > 0 && s < 1e9 ? (long) (s * 1e9) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Switches the connection's current database; returns an error message or null. */
    private static String useDatabase(Connection c, String database) {
        if (database.equals(c.currentDatabase)) {
            return null;
        }
        String error = run(c, "USE `" + database.replace("\\", "\\\\").replace("`", "\\`") + "`");
        if (error == null) {
            c.currentDatabase = database;
        }
        return error;
    }

    private static String applySettings(Connection c, Map<String, String> settings) {
        for (Map.Entry<String, String> s : settings.entrySet()) {
            if (!SETTING_NAME.matcher(s.getKey()).matches()) {
                return "Code: " + UNKNOWN_SETTING + ". DB::Exception: Setting " + s.getKey()
                        + " is neither a builtin setting nor started with a known prefix. (UNKNOWN_SETTING)";
            }
            String error = run(c, "SET " + s.getKey() + " = '" + escapeLiteral(s.getValue()) + "'");
            if (error != null) {
                return error;
            }
        }
        return null;
    }

    /** Settings from URL parameters belong to one request, not to the shared connection. */
    private static void resetSettings(Connection c, Map<String, String> settings) {
        for (String name : settings.keySet()) {
            if (SETTING_NAME.matcher(name).matches()) {
                run(c, "SET " + name + " = DEFAULT");
            }
        }
    }

    private static String run(Connection c, String sql) {
        Chdb.Result r = c.chdb.query(sql.getBytes(StandardCharsets.UTF_8), "TabSeparated", List.of());
        try {
            return r.error();
        } finally {
            c.chdb.free(r);
        }
    }

    private static String escapeLiteral(String value) {
        return value.replace("\\", "\\\\").replace("'", "\\'");
    }

    private static String summary(Chdb.Result r) {
        return "{\"read_rows\":\"" + r.rowsRead() + "\",\"read_bytes\":\"" + r.bytesRead()
                + "\",\"written_rows\":\"" + r.rowsWritten() + "\",\"written_bytes\":\"" + r.bytesWritten()
                + "\",\"total_rows_to_read\":\"" + r.rowsRead() + "\",\"result_rows\":\"0\",\"result_bytes\":\""
                + r.output().byteSize() + "\",\"elapsed_ns\":\"" + (long) (r.elapsedSeconds() * 1e9) + "\"}";
    }

    private static int code(String error) {
        Matcher m = ERROR_CODE.matcher(error);
        return m.find() ? Integer.parseInt(m.group(1)) : 1000;
    }

    private static String contentType(String format) {
        String f = format.toLowerCase(Locale.ROOT);
        if (f.startsWith("json")) {
            return f.equals("jsoneachrow") || f.equals("jsonlines") || f.equals("ndjson")
                    ? "application/x-ndjson; charset=UTF-8" : "application/json; charset=UTF-8";
        }
        if (f.startsWith("tabseparated") || f.startsWith("tsv")) {
            return "text/tab-separated-values; charset=UTF-8";
        }
        if (f.startsWith("csv")) {
            return "text/csv; charset=UTF-8; header=absent";
        }
        if (f.startsWith("rowbinary") || f.equals("native") || f.equals("parquet") || f.startsWith("arrow")) {
            return "application/octet-stream";
        }
        return "text/plain; charset=UTF-8";
    }

    /** The output as is, gzipped (HTTP compression), in LZ4 blocks ({@code compress=1}), or both. */
    private static void sendResult(HttpExchange exchange, String contentType, Chdb.Result result, boolean gzip,
                                   boolean lz4) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        long length = result.output().byteSize();
        if (length == 0) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        if (!gzip && !lz4) {
            exchange.sendResponseHeaders(200, length);
            try (OutputStream os = exchange.getResponseBody()) {
                WritableByteChannel channel = Channels.newChannel(os);
                var buffer = result.output().asByteBuffer();
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            return;
        }
        if (gzip) {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        exchange.sendResponseHeaders(200, 0);
        writeEncoded(result.output(), exchange.getResponseBody(), gzip, lz4);
    }

    /** Writes {@code output} gzipped, in LZ4 blocks, or LZ4 blocks gzipped, and closes {@code body}. */
    static void writeEncoded(MemorySegment output, OutputStream body, boolean gzip, boolean lz4) throws IOException {
        if (gzip) {
            body = new GZIPOutputStream(body, 65536);
        }
        if (lz4) {
            body = new CompressedBlockOutputStream.LZ4OutputStream(body, LZ4_WRITER, LZ4_BUFFER);
        }
        try (OutputStream os = body) {
            long length = output.byteSize();
            byte[] chunk = new byte[(int) Math.min(length, BLOCK_SIZE)];
            for (long done = 0; done < length; done += chunk.length) {
                int n = (int) Math.min(chunk.length, length - done);
                MemorySegment.copy(output, ValueLayout.JAVA_BYTE, done, chunk, 0, n);
                os.write(chunk, 0, n);
                if (lz4) {
                    os.flush(); // ends the LZ4 block
                }
            }
        }
    }

    private static void sendError(HttpExchange exchange, int status, int code, String message) throws IOException {
        String text = message.startsWith("Code: ") ? message : "Code: " + code + ". DB::Exception: " + message;
        exchange.getResponseHeaders().set("X-ClickHouse-Exception-Code", Integer.toString(code));
        send(exchange, status, "text/plain; charset=UTF-8", text.endsWith("\n") ? text : text + "\n");
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
    }

    /** The request body, un-gzipped (HTTP compression) and read from LZ4 blocks ({@code decompress=1}). */
    private static byte[] readBody(HttpExchange exchange, boolean lz4) throws IOException {
        InputStream body = exchange.getRequestBody();
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        if (encoding != null && encoding.equalsIgnoreCase("gzip")) {
            body = new GZIPInputStream(body);
        }
        byte[] bytes = body.readAllBytes();
        return lz4 ? decompress(bytes) : bytes;
    }

    /** ClickHouse's compressed blocks, checked to fit the body and then read by clickhouse-java's own reader. */
    static byte[] decompress(byte[] blocks) throws IOException {
        checkBlocks(blocks);
        try (InputStream in = new CompressedBlockInputStream(new ByteArrayInputStream(blocks), LZ4_READER, 65536)) {
            return in.readAllBytes();
        } catch (ClientException | LZ4Exception e) { // a checksum that does not match, a block that does not decode
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Refuses blocks whose headers do not fit the body before the reader allocates what they claim: each
     * block lies within the body, is LZ4 or stored as is, and its plain size is bounded.
     */
    private static void checkBlocks(byte[] blocks) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(blocks).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at < blocks.length; ) {
            if (blocks.length - at < CHECKSUM + HEADER) {
                throw new IOException("the body ends inside a block's header");
            }
            byte method = b.get(at + CHECKSUM);
            int compressed = b.getInt(at + CHECKSUM + 1); // with the header
            int plain = b.getInt(at + CHECKSUM + 5);
            if (method != METHOD_LZ4 && method != METHOD_NONE) {
                throw new IOException(String.format("unsupported compression method 0x%02x (LZ4, 0x82, and none,"
                        + " 0x02, are read)", method & 0xff));
            }
            if (compressed < HEADER || compressed > blocks.length - at - CHECKSUM || plain < 0 || plain > MAX_BLOCK
                    || (method == METHOD_NONE && plain != compressed - HEADER)) {
                throw new IOException("a block's sizes (" + compressed + " compressed, " + plain
                        + " plain) do not fit the body");
            }
            at += CHECKSUM + compressed;
        }
    }

    static Map<String, String> parseQueryString(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    private static String firstNonBlank(String a, String b, String fallback) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        if (b != null && !b.isBlank()) {
            return b;
        }
        return fallback;
    }

    String version() {
        return version;
    }
}
