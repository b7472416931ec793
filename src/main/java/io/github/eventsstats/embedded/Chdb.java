package io.github.eventsstats.embedded;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The chDB C API (libchdb.so) through the Foreign Function &amp; Memory API.
 *
 * <p>One instance holds one engine connection; several can be open on one data path, and their
 * queries run in parallel. Calls on one instance are not thread-safe: the caller serializes them.
 */
final class Chdb implements AutoCloseable {

    /** Signals the JVM relies on (implicit null checks, safepoints, stack banging, shutdown). */
    private static final int[] JVM_SIGNALS = {1, 2, 3, 4, 6, 7, 8, 10, 11, 12, 13, 15};
    private static final long SIGACTION_SIZE = 256; // struct sigaction is 152 bytes on x86_64 glibc

    private final Arena arena = Arena.ofShared();
    private final MethodHandle queryN;
    private final MethodHandle queryWithParamsN;
    private final MethodHandle resultBuffer;
    private final MethodHandle resultLength;
    private final MethodHandle resultError;
    private final MethodHandle resultRowsRead;
    private final MethodHandle resultBytesRead;
    private final MethodHandle resultRowsWritten;
    private final MethodHandle resultBytesWritten;
    private final MethodHandle resultElapsed;
    private final MethodHandle destroyResult;
    private final MethodHandle closeConn;
    private final MemorySegment connectionHolder; // chdb_connection*, as chdb_connect returns it
    private final MemorySegment connection;

    /** A finished query: its output bytes (valid until {@link #close()}), or its error. */
    record Result(MemorySegment result, MemorySegment output, String error, long rowsRead, long bytesRead,
                  long rowsWritten, long bytesWritten, double elapsedSeconds) {
    }

    /** @param configFile clickhouse-local's configuration (the engine's user and its grants), or null */
    Chdb(Path library, Path dataPath, Path configFile) {
        Linker linker = Linker.nativeLinker();
        SymbolLookup lib = SymbolLookup.libraryLookup(library, arena);
        SymbolLookup libc = linker.defaultLookup();
        MethodHandle connect = handle(linker, lib, "chdb_connect", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
        queryN = handle(linker, lib, "chdb_query_n",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        queryWithParamsN = handle(linker, lib, "chdb_query_with_params_n",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG,
                        ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        resultBuffer = handle(linker, lib, "chdb_result_buffer", FunctionDescriptor.of(ADDRESS, ADDRESS));
        resultLength = handle(linker, lib, "chdb_result_length", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultError = handle(linker, lib, "chdb_result_error", FunctionDescriptor.of(ADDRESS, ADDRESS));
        resultRowsRead = handle(linker, lib, "chdb_result_rows_read", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultBytesRead = handle(linker, lib, "chdb_result_bytes_read", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultRowsWritten = handle(linker, lib, "chdb_result_rows_written", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultBytesWritten = handle(linker, lib, "chdb_result_bytes_written", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultElapsed = handle(linker, lib, "chdb_result_elapsed", FunctionDescriptor.of(JAVA_DOUBLE, ADDRESS));
        destroyResult = handle(linker, lib, "chdb_destroy_query_result", FunctionDescriptor.ofVoid(ADDRESS));
        closeConn = handle(linker, lib, "chdb_close_conn", FunctionDescriptor.ofVoid(ADDRESS));
        MethodHandle sigaction = handle(linker, libc, "sigaction",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

        List<String> args = configFile == null ? List.of("clickhouse", "--path=" + dataPath.toAbsolutePath())
                : List.of("clickhouse", "--path=" + dataPath.toAbsolutePath(), "--config-file=" + configFile.toAbsolutePath());
        MemorySegment argv = arena.allocate(ADDRESS, args.size());
        for (int i = 0; i < args.size(); i++) {
            argv.setAtIndex(ADDRESS, i, arena.allocateFrom(args.get(i)));
        }
        // The engine installs its own handlers for SIGSEGV & co. while connecting; the JVM needs its
        // own back, or an ordinary implicit null check would end in the engine's crash handler.
        MemorySegment saved = arena.allocate(SIGACTION_SIZE * JVM_SIGNALS.length);
        try {
            for (int i = 0; i < JVM_SIGNALS.length; i++) {
                int rc = (int) sigaction.invokeExact(JVM_SIGNALS[i], MemorySegment.NULL,
                        saved.asSlice(i * SIGACTION_SIZE, SIGACTION_SIZE));
                if (rc != 0) {
                    throw new IllegalStateException("sigaction(" + JVM_SIGNALS[i] + ") failed");
                }
            }
            MemorySegment holder = (MemorySegment) connect.invokeExact(args.size(), argv);
            for (int i = 0; i < JVM_SIGNALS.length; i++) {
                int rc = (int) sigaction.invokeExact(JVM_SIGNALS[i],
                        saved.asSlice(i * SIGACTION_SIZE, SIGACTION_SIZE), MemorySegment.NULL);
                if (rc != 0) {
                    throw new IllegalStateException("restoring handler of signal " + JVM_SIGNALS[i] + " failed");
                }
            }
            MemorySegment conn = holder.address() == 0 ? MemorySegment.NULL
                    : holder.reinterpret(ADDRESS.byteSize()).get(ADDRESS, 0);
            if (conn.address() == 0) {
                throw new IllegalStateException("chdb_connect failed for path " + dataPath
                        + " (is another engine using this directory?)");
            }
            connectionHolder = holder.reinterpret(ADDRESS.byteSize());
            connection = conn;
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("chdb_connect failed", t);
        }
    }

    private static MethodHandle handle(Linker linker, SymbolLookup lookup, String name, FunctionDescriptor fd) {
        return linker.downcallHandle(lookup.find(name)
                .orElseThrow(() -> new IllegalStateException("symbol " + name + " not found in libchdb")), fd);
    }

    /**
     * Runs one statement. {@code sql} may carry inline insert data after the statement.
     * The caller must {@link #free(Result)} the result.
     */
    Result query(byte[] sql, String format, List<String[]> params) {
        byte[][] names = new byte[params.size()][];
        byte[][] values = new byte[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            names[i] = params.get(i)[0].getBytes(StandardCharsets.UTF_8);
            values[i] = params.get(i)[1].getBytes(StandardCharsets.UTF_8);
        }
        return query(sql, format, names, values);
    }

    /** {@link #query(byte[], String, List)} with parameter values as bytes, in the engine's escaped form. */
    Result query(byte[] sql, String format, byte[][] paramNames, byte[][] paramValues) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment q = call.allocate(sql.length + 1L);
            MemorySegment.copy(sql, 0, q, ValueLayout.JAVA_BYTE, 0, sql.length);
            byte[] fmtBytes = format.getBytes(StandardCharsets.UTF_8);
            MemorySegment fmt = call.allocateFrom(format);
            MemorySegment res;
            if (paramNames.length == 0) {
                res = (MemorySegment) queryN.invokeExact(connection, q, (long) sql.length, fmt, (long) fmtBytes.length);
            } else {
                int n = paramNames.length;
                MemorySegment names = call.allocate(ADDRESS, n);
                MemorySegment nameLens = call.allocate(JAVA_LONG, n);
                MemorySegment values = call.allocate(ADDRESS, n);
                MemorySegment valueLens = call.allocate(JAVA_LONG, n);
                for (int i = 0; i < n; i++) {
                    byte[] name = paramNames[i];
                    byte[] value = paramValues[i];
                    names.setAtIndex(ADDRESS, i, call.allocateFrom(ValueLayout.JAVA_BYTE, name));
                    nameLens.setAtIndex(JAVA_LONG, i, name.length);
                    values.setAtIndex(ADDRESS, i, value.length == 0
                            ? call.allocate(1) : call.allocateFrom(ValueLayout.JAVA_BYTE, value));
                    valueLens.setAtIndex(JAVA_LONG, i, value.length);
                }
                res = (MemorySegment) queryWithParamsN.invokeExact(connection, q, (long) sql.length, fmt,
                        (long) fmtBytes.length, names, nameLens, values, valueLens, (long) n);
            }
            if (res.address() == 0) {
                return new Result(res, MemorySegment.NULL, "Code: 1000. DB::Exception: the engine returned no result",
                        0, 0, 0, 0, 0);
            }
            MemorySegment err = (MemorySegment) resultError.invokeExact(res);
            if (err.address() != 0) {
                String message = err.reinterpret(Long.MAX_VALUE).getString(0);
                return new Result(res, MemorySegment.NULL, message, 0, 0, 0, 0, 0);
            }
            MemorySegment buf = (MemorySegment) resultBuffer.invokeExact(res);
            long len = (long) resultLength.invokeExact(res);
            MemorySegment output = buf.address() == 0 || len == 0 ? MemorySegment.NULL : buf.reinterpret(len);
            return new Result(res, output, null,
                    (long) resultRowsRead.invokeExact(res), (long) resultBytesRead.invokeExact(res),
                    (long) resultRowsWritten.invokeExact(res), (long) resultBytesWritten.invokeExact(res),
                    (double) resultElapsed.invokeExact(res));
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("chdb query call failed", t);
        }
    }

    void free(Result result) {
        try {
            if (result.result().address() != 0) {
                destroyResult.invokeExact(result.result());
            }
        } catch (Throwable t) {
            throw new IllegalStateException("chdb_destroy_query_result failed", t);
        }
    }

    @Override
    public void close() {
        try {
            closeConn.invokeExact(connectionHolder);
        } catch (Throwable t) {
            throw new IllegalStateException("chdb_close_conn failed", t);
        }
    }
}
