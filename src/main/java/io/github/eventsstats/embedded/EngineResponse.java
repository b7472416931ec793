package io.github.eventsstats.embedded;

import com.clickhouse.client.api.internal.CompressedBlockOutputStream;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/** Answers as a ClickHouse server gives them: headers, the output (gzipped, in LZ4 blocks, or both), errors. */
final class EngineResponse {

    /** ClickHouse's max_compress_block_size: the plain bytes in one LZ4 block of an answer. */
    static final int BLOCK_SIZE = 1 << 20;
    private static final int READONLY = 164;
    private static final Pattern ERROR_CODE = Pattern.compile("Code: (\\d+)");
    private static final LZ4Compressor LZ4_WRITER = LZ4Factory.fastestInstance().fastCompressor();

    private EngineResponse() {
    }

    /** The headers every answer to a query has, its errors' included. */
    static void queryHeaders(HttpExchange exchange, EngineRequest request, String timezone) {
        Headers out = exchange.getResponseHeaders();
        out.set("X-ClickHouse-Query-Id", request.queryId());
        out.set("X-ClickHouse-Timezone", timezone);
        out.set("X-ClickHouse-Server-Display-Name", "chdb-embedded");
        out.set("X-ClickHouse-Format", request.format());
    }

    /** A query's output as is, gzipped (HTTP compression), in LZ4 blocks ({@code compress=1}), or both. */
    static void result(HttpExchange exchange, EngineRequest request, Chdb.Result result) throws IOException {
        exchange.getResponseHeaders().set("X-ClickHouse-Summary", summary(result));
        exchange.getResponseHeaders().set("Content-Type", contentType(request.format()));
        long length = result.output().byteSize();
        if (length == 0) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        if (!request.gzip() && !request.lz4()) {
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
        if (request.gzip()) {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        exchange.sendResponseHeaders(200, 0);
        writeEncoded(result.output(), exchange.getResponseBody(), request.gzip(), request.lz4());
    }

    /** Writes {@code output} gzipped, in LZ4 blocks, or LZ4 blocks gzipped, and closes {@code body}. */
    static void writeEncoded(MemorySegment output, OutputStream body, boolean gzip, boolean lz4) throws IOException {
        long length = output.byteSize();
        int block = (int) Math.min(length, BLOCK_SIZE); // buffers sized by the answer: most are small
        if (gzip) {
            body = new GZIPOutputStream(body, 65536);
        }
        if (lz4) {
            // The client's block writer compresses into a buffer of the size it is given, which a block of
            // incompressible bytes outgrows: it gets room for LZ4's worst case, and each block is ended by a flush.
            body = new CompressedBlockOutputStream.LZ4OutputStream(body, LZ4_WRITER, LZ4_WRITER.maxCompressedLength(block));
        }
        try (OutputStream os = body) {
            byte[] chunk = new byte[block];
            for (long done = 0; done < length; done += block) {
                int n = (int) Math.min(block, length - done);
                MemorySegment.copy(output, ValueLayout.JAVA_BYTE, done, chunk, 0, n);
                os.write(chunk, 0, n);
                if (lz4) {
                    os.flush(); // ends the LZ4 block
                }
            }
        }
    }

    static void error(HttpExchange exchange, int status, int code, String message) throws IOException {
        String text = message.startsWith("Code: ") ? message : "Code: " + code + ". DB::Exception: " + message;
        exchange.getResponseHeaders().set("X-ClickHouse-Exception-Code", Integer.toString(code));
        text(exchange, status, text.endsWith("\n") ? text : text + "\n");
    }

    /** An error the engine reported, with the code its message names. */
    static void engineError(HttpExchange exchange, String message) throws IOException {
        Matcher m = ERROR_CODE.matcher(message);
        int code = m.find() ? Integer.parseInt(m.group(1)) : 1000;
        // As a server answers them: a write in a read-only request, or a query its grants do not allow.
        error(exchange, code == StatementGate.ACCESS_DENIED || code == READONLY ? 403 : 500, code, message);
    }

    static void text(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
    }

    /** Text from a request, for an error message: control characters escaped, at most 200 characters. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < 200; i++) {
            char ch = s.charAt(i);
            out.append(ch < 0x20 || ch == 0x7f ? String.format("\\x%02x", (int) ch) : String.valueOf(ch));
        }
        return out.toString();
    }

    private static String summary(Chdb.Result r) {
        return "{\"read_rows\":\"" + r.rowsRead() + "\",\"read_bytes\":\"" + r.bytesRead()
                + "\",\"written_rows\":\"" + r.rowsWritten() + "\",\"written_bytes\":\"" + r.bytesWritten()
                + "\",\"total_rows_to_read\":\"" + r.rowsRead() + "\",\"result_rows\":\"0\",\"result_bytes\":\""
                + r.output().byteSize() + "\",\"elapsed_ns\":\"" + (long) (r.elapsedSeconds() * 1e9) + "\"}";
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
}
