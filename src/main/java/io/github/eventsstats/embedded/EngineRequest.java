package io.github.eventsstats.embedded;

import com.clickhouse.client.api.ClientException;
import com.clickhouse.client.api.internal.CompressedBlockInputStream;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.github.eventsstats.clickhouse.ClickHouse;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;
import net.jpountz.lz4.LZ4SafeDecompressor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

/**
 * A query request, decoded from what the ClickHouse HTTP interface accepts: the SQL in the body or
 * the {@code query} parameter (then the body continues it: insert data, usually), the output format,
 * database and query id from headers or parameters, {@code param_<name>} query parameters, every
 * other parameter a setting. What of it reaches the engine, and how, {@link StatementGate} decides.
 *
 * @param query        the {@code query} parameter, or null
 * @param body         the request body, decoded (gzip, LZ4 blocks); at most {@link #MAX_BODY} bytes
 * @param database     null when the request names none
 * @param settings     the request's settings, in order; a GET's end with {@code readonly}
 * @param reservedLane marked with {@link ClickHouse#LANE_HEADER}
 * @param waitNanos    how long it may wait for a connection; 0: no bound
 * @param gzip         the answer is to be gzipped (HTTP compression)
 * @param lz4          the answer is to be sent in ClickHouse's LZ4 blocks ({@code compress=1})
 */
record EngineRequest(String query, byte[] body, String format, String database, String queryId,
                     List<String[]> params, Map<String, String> settings, boolean reservedLane, long waitNanos,
                     boolean gzip, boolean lz4) {

    static final int BAD_ARGUMENTS = 36;
    static final int CHECKSUM_DOESNT_MATCH = 40;
    /**
     * The most a request body may hold, decoded: the engine reads it whole. The service's biggest insert, a
     * backfill batch of 20,000 events in RowBinary, is about 6 MB (28 MB if every string were as long as
     * GitHub allows); 64 MiB leaves room for that twice over in the engine's 256 MB heap.
     */
    static final int MAX_BODY = 64 << 20;
    /** A server runs a GET read-only: {@code readonly=2} still lets a query change its other settings. */
    private static final String GET_READONLY = "2";

    /** URL parameters that steer the HTTP exchange; every other one is a query-level setting. */
    private static final Set<String> TRANSPORT_PARAMS = Set.of("query", "database", "default_format", "query_id",
            "user", "password", "quota_key", "compress", "decompress", "enable_http_compression",
            "http_zlib_compression_level", "wait_end_of_query", "send_progress_in_http_headers", "session_id",
            "session_timeout", "session_check", "buffer_size", "client_protocol_version", "role",
            "http_headers_progress_interval_ms", "cancel_http_readonly_queries_on_client_close", "log_comment");
    /**
     * Settings that change how the engine parses a text: {@link StatementGate} reads it as ClickHouse SQL, and
     * the engine must read it the same way.
     */
    private static final Set<String> PARSER_SETTINGS = Set.of("dialect", "implicit_select",
            "allow_settings_after_format_in_insert");
    /** ClickHouse's compressed block: a 16-byte CityHash128, the method byte, then two int32 sizes. */
    private static final int CHECKSUM = 16;
    private static final int HEADER = 9;
    private static final byte METHOD_LZ4 = (byte) 0x82;
    private static final byte METHOD_NONE = 0x02;
    /** An LZ4 block's plain bytes are at most this many times its compressed ones (a match length byte adds 255). */
    private static final long MAX_LZ4_RATIO = 255;
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

    /** A request the engine refuses before running it: the HTTP status and ClickHouse error code to answer. */
    static final class Invalid extends Exception {
        final int status;
        final int code;

        Invalid(int status, int code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    /** A body bigger than {@link #MAX_BODY}, decoded. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    static EngineRequest decode(HttpExchange exchange, Map<String, String> params) throws Invalid {
        Headers in = exchange.getRequestHeaders();
        byte[] body;
        try {
            body = readBody(exchange, "1".equals(params.get("decompress")));
        } catch (TooLarge e) {
            throw new Invalid(413, BAD_ARGUMENTS, e.getMessage());
        } catch (IOException e) {
            throw new Invalid(400, CHECKSUM_DOESNT_MATCH, "Cannot read the compressed request body (decompress=1): "
                    + e.getMessage());
        }
        String query = params.get("query");
        if ((query == null || query.isEmpty()) && body.length == 0) {
            throw new Invalid(400, BAD_ARGUMENTS, "Empty query");
        }
        List<String[]> queryParams = new ArrayList<>();
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (p.getKey().startsWith("param_")) {
                queryParams.add(new String[] {p.getKey().substring("param_".length()), p.getValue()});
            } else if (PARSER_SETTINGS.contains(p.getKey())) {
                throw new Invalid(400, BAD_ARGUMENTS, "The setting " + p.getKey() + " is not taken here: the embedded"
                        + " engine reads every query as ClickHouse SQL");
            } else if (!TRANSPORT_PARAMS.contains(p.getKey())) {
                settings.put(p.getKey(), p.getValue());
            }
        }
        if (exchange.getRequestMethod().equals("GET")) {
            // Last, so no setting of the request's comes after it; a stricter readonly=1 of its own stays.
            String asked = settings.remove("readonly");
            settings.put("readonly", "1".equals(asked) ? asked : GET_READONLY);
        }
        return new EngineRequest(query == null || query.isEmpty() ? null : query, body,
                firstNonBlank(in.getFirst("X-ClickHouse-Format"), params.get("default_format"), "TabSeparated"),
                firstNonBlank(in.getFirst("X-ClickHouse-Database"), params.get("database"), null),
                firstNonBlank(in.getFirst("X-ClickHouse-Query-Id"), params.get("query_id"), UUID.randomUUID().toString()),
                queryParams, settings, "reserved".equals(in.getFirst(ClickHouse.LANE_HEADER)),
                maxExecutionNanos(settings.get("max_execution_time")),
                "1".equals(params.get("enable_http_compression"))
                        && String.valueOf(in.getFirst("Accept-Encoding")).contains("gzip"),
                "1".equals(params.get("compress")));
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

    /** The request body, un-gzipped (HTTP compression) and read from LZ4 blocks ({@code decompress=1}). */
    private static byte[] readBody(HttpExchange exchange, boolean lz4) throws IOException {
        InputStream body = exchange.getRequestBody();
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        if (encoding != null && encoding.equalsIgnoreCase("gzip")) {
            body = new GZIPInputStream(body);
        }
        byte[] bytes = body.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw tooLarge();
        }
        return lz4 ? decompress(bytes) : bytes;
    }

    private static TooLarge tooLarge() {
        return new TooLarge("The request body holds more than " + (MAX_BODY >> 20) + " MiB, the most the embedded"
                + " engine reads in one request: send the rows in several inserts");
    }

    /** ClickHouse's compressed blocks, checked to fit the body and then read by clickhouse-java's own reader. */
    static byte[] decompress(byte[] blocks) throws IOException {
        byte[] plain = new byte[plainSize(blocks)];
        // The reader's own buffer grows to the largest block; the plain bytes go straight to where they are kept.
        try (InputStream in = new CompressedBlockInputStream(new ByteArrayInputStream(blocks), LZ4_READER, 0)) {
            if (in.readNBytes(plain, 0, plain.length) != plain.length || in.read() >= 0) {
                throw new IOException("the blocks do not hold the sizes their headers say");
            }
            return plain;
        } catch (ClientException | LZ4Exception e) { // a checksum that does not match, a block that does not decode
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * The plain size of all the blocks, from their headers, which are refused when they do not fit the body
     * before anything they claim is allocated: each block lies within the body, and is LZ4 (which does not
     * expand more than 255-fold) or stored as is.
     */
    private static int plainSize(byte[] blocks) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(blocks).order(ByteOrder.LITTLE_ENDIAN);
        long total = 0;
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
            if (compressed < HEADER || compressed > blocks.length - at - CHECKSUM || plain < 0
                    || (method == METHOD_NONE ? plain != compressed - HEADER : plain > MAX_LZ4_RATIO * (compressed - HEADER))) {
                throw new IOException("a block's sizes (" + compressed + " compressed, " + plain
                        + " plain) do not fit the body");
            }
            total += plain;
            at += CHECKSUM + compressed;
        }
        if (total > MAX_BODY) {
            throw tooLarge();
        }
        return (int) total;
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
}
