package io.github.eventsstats.bench;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import io.github.eventsstats.clickhouse.RowBinary;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The embedded engine's transport, for bench/engine-transport.sh, which runs it against two builds
 * side by side. Three modes, each printing {@code key=value} lines the script collects:
 *
 * <ul>
 * <li>{@code transport engine=URL pid=PID [user=U password=P]}: through clickhouse-java with LZ4 both ways (as the
 * service's client talks to its engine), {@code small} queries, a {@code big} answer of
 * {@code rows} rows and an insert of as many rows into a Null table; wall time and the engine
 * process's CPU time (utime + stime from /proc) for each.</li>
 * <li>{@code codec}: the engine's own LZ4 block writer and reader, on this JVM's class path (the
 * build's jars): the hand-written {@code Lz4Frames} where the build has it, else clickhouse-java's
 * blocks as {@code EngineResponse} and {@code EngineRequest} use them. Run it under the engine
 * process's JVM flags.</li>
 * <li>{@code ready cmdline=FILE [password=P]}: the engine process relaunched from its command line (a copy
 * of /proc/PID/cmdline) on a free port and a fresh directory, given P as the first line of its standard
 * input where the build's engine takes its password there: the time from its start to READY.</li>
 * </ul>
 */
public final class EngineTransportBench {

    private static final String BIG = "SELECT number AS id, concat('owner', toString(number % 97), '/repo-',"
            + " toString(number % 1000)) AS repo, toUInt32(number % 1000) AS n FROM numbers({rows:UInt64})";

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : Arrays.copyOfRange(args, 1, args.length)) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        switch (args[0]) {
            case "transport" -> transport(a);
            case "codec" -> codec(a);
            case "ready" -> ready(a);
            default -> throw new IllegalArgumentException("transport, codec or ready: " + args[0]);
        }
    }

    private static void transport(Map<String, String> a) throws Exception {
        long pid = Long.parseLong(a.get("pid"));
        int small = Integer.parseInt(a.getOrDefault("small", "2000"));
        long rows = Long.parseLong(a.getOrDefault("rows", "2000000"));
        try (Client client = new Client.Builder().addEndpoint(a.get("engine"))
                .setUsername(a.getOrDefault("user", "default")).setPassword(a.getOrDefault("password", ""))
                .setDefaultDatabase("default").compressServerResponse(true).compressClientRequest(true)
                .compressionMethod(com.clickhouse.client.api.CompressionMethod.LZ4).build()) {
            client.execute("CREATE TABLE IF NOT EXISTS transport_bench (id UInt64, repo String, n UInt32) ENGINE = Null")
                    .get().close();
            for (int i = 0; i < 50; i++) { // the client's and the engine's first requests, not timed
                client.queryAll("SELECT 1");
            }
            Phase p = Phase.start(pid);
            for (int i = 0; i < small; i++) {
                client.queryAll("SELECT " + i + " AS n, 'small' AS s");
            }
            p.print("small", small);

            QuerySettings settings = new QuerySettings().setFormat(ClickHouseFormat.RowBinary);
            long bytes = 0;
            p = Phase.start(pid);
            try (QueryResponse r = client.query(BIG, Map.of("rows", rows), settings).get(10, TimeUnit.MINUTES);
                 InputStream in = r.getInputStream()) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    bytes += n;
                }
            }
            p.print("big", 1);
            System.out.println("big_bytes=" + bytes);

            byte[] body = rowBinary(rows);
            p = Phase.start(pid);
            client.insert("transport_bench", List.of("id", "repo", "n"), new ByteArrayInputStream(body),
                    ClickHouseFormat.RowBinary, new InsertSettings()).get(10, TimeUnit.MINUTES).close();
            p.print("insert", 1);
            System.out.println("insert_bytes=" + body.length);
        }
    }

    /** The big answer's rows, as RowBinary. */
    private static byte[] rowBinary(long rows) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RowBinary row = new RowBinary(out);
        for (long i = 0; i < rows; i++) {
            row.uint64(i);
            row.string("owner" + (i % 97) + "/repo-" + (i % 1000));
            row.uint32(i % 1000);
        }
        row.flush();
        return out.toByteArray();
    }

    /** Wall time and the engine process's CPU time since it started. */
    private record Phase(long wallNanos, long cpuTicks, long pid) {
        static Phase start(long pid) throws Exception {
            return new Phase(System.nanoTime(), cpuTicks(pid), pid);
        }

        void print(String name, int n) throws Exception {
            double wallMs = (System.nanoTime() - wallNanos) / 1e6;
            double cpuMs = (cpuTicks(pid) - cpuTicks) * 10.0; // USER_HZ is 100 on Linux
            System.out.printf("%s_ms=%.1f%n%s_engine_cpu_ms=%.0f%n%s_n=%d%n", name, wallMs, name, cpuMs, name, n);
        }

        /** utime + stime, fields 14 and 15 of /proc/PID/stat (counted after the command's closing parenthesis). */
        static long cpuTicks(long pid) throws Exception {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
    }

    private static void codec(Map<String, String> a) throws Exception {
        int reps = Integer.parseInt(a.getOrDefault("reps", "7"));
        byte[] data = Files.readAllBytes(Path.of(a.get("data")));
        Codec codec = Codec.of();
        System.out.println("codec=" + codec.name() + "\ncodec_plain_bytes=" + data.length);
        byte[] framed = null;
        List<Double> writes = new ArrayList<>();
        List<Double> reads = new ArrayList<>();
        for (int i = 0; i < reps + 2; i++) { // two warm-ups, as the engine process has answered before
            long t0 = System.nanoTime();
            framed = codec.write(data);
            long t1 = System.nanoTime();
            byte[] back = codec.read(framed);
            long t2 = System.nanoTime();
            if (!Arrays.equals(back, data)) {
                throw new IllegalStateException("the codec did not give the data back");
            }
            if (i >= 2) {
                writes.add((t1 - t0) / 1e6);
                reads.add((t2 - t1) / 1e6);
            }
        }
        System.out.printf("codec_framed_bytes=%d%ncodec_write_ms=%.1f%ncodec_read_ms=%.1f%n", framed.length,
                median(writes), median(reads));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** The engine's block writer and reader in whichever form the build on the class path has. */
    private interface Codec {
        String name();

        byte[] write(byte[] plain) throws Exception;

        byte[] read(byte[] framed) throws Exception;

        static Codec of() throws Exception {
            try {
                return handWritten(Class.forName("io.github.eventsstats.embedded.Lz4Frames"));
            } catch (ClassNotFoundException e) {
                return client();
            }
        }

        /** Lz4Frames.Writer and Lz4Frames.readAll (before issue 24). */
        private static Codec handWritten(Class<?> frames) throws Exception {
            Class<?> writerClass = Class.forName(frames.getName() + "$Writer");
            Constructor<?> writer = writerClass.getDeclaredConstructor(OutputStream.class);
            Method write = writerClass.getDeclaredMethod("write", byte[].class, int.class, int.class);
            Method readAll = frames.getDeclaredMethod("readAll", InputStream.class);
            writer.setAccessible(true);
            write.setAccessible(true);
            readAll.setAccessible(true);
            return new Codec() {
                public String name() {
                    return "Lz4Frames (hand-written)";
                }

                public byte[] write(byte[] plain) throws Exception {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 2);
                    write.invoke(writer.newInstance(out), plain, 0, plain.length);
                    return out.toByteArray();
                }

                public byte[] read(byte[] framed) throws Exception {
                    return (byte[]) readAll.invoke(null, new ByteArrayInputStream(framed));
                }
            };
        }

        /** EngineResponse.writeEncoded and EngineRequest.decompress: clickhouse-java's blocks (issue 24). */
        private static Codec client() throws Exception {
            Class<?> response = Class.forName("io.github.eventsstats.embedded.EngineResponse");
            Class<?> request = Class.forName("io.github.eventsstats.embedded.EngineRequest");
            Method write = response.getDeclaredMethod("writeEncoded", MemorySegment.class, OutputStream.class,
                    boolean.class, boolean.class);
            Method decompress = request.getDeclaredMethod("decompress", byte[].class);
            write.setAccessible(true);
            decompress.setAccessible(true);
            return new Codec() {
                public String name() {
                    return "clickhouse-java blocks (lz4-java)";
                }

                public byte[] write(byte[] plain) throws Exception {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 2);
                    write.invoke(null, MemorySegment.ofArray(plain), out, false, true);
                    return out.toByteArray();
                }

                public byte[] read(byte[] framed) throws Exception {
                    return (byte[]) decompress.invoke(null, (Object) framed);
                }
            };
        }
    }

    private static void ready(Map<String, String> a) throws Exception {
        String[] cmd = Files.readString(Path.of(a.get("cmdline"))).split("\0");
        Path dir = Files.createTempDirectory(Path.of(a.get("dir")), "ready-");
        List<String> args = new ArrayList<>();
        for (int i = 0; i < cmd.length; i++) {
            String s = cmd[i];
            // Both builds' ways of writing the port and the data directory: "--port N" and "--port=N".
            if ((s.equals("--port") || s.equals("--path")) && i + 1 < cmd.length) {
                args.add(s);
                args.add(s.equals("--port") ? "0" : dir.toString());
                i++;
            } else if (s.startsWith("--port=")) {
                args.add("--port=0");
            } else if (s.startsWith("--path=")) {
                args.add("--path=" + dir);
            } else {
                args.add(s);
            }
        }
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        if (a.containsKey("password")) { // an engine from issue 26 on reads its password first
            p.getOutputStream().write((a.get("password") + "\n").getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().flush();
        }
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("READY")) {
                    System.out.printf("ready_ms=%.1f%n", (System.nanoTime() - t0) / 1e6);
                    break;
                }
            }
            p.getOutputStream().close(); // --watch-stdin: it exits
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
