package io.github.eventsstats.bench;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import org.awaitility.core.ConditionTimeoutException;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** What the benchmarks' main classes share: their key=value arguments, the engine's own time, settled merges. */
public final class BenchSupport {

    private BenchSupport() {
    }

    /** key=value arguments, in order. */
    public static Map<String, String> args(String[] argv) {
        Map<String, String> args = new LinkedHashMap<>();
        for (String a : argv) {
            int eq = a.indexOf('=');
            args.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return args;
    }

    /** Runs the query, reads the whole answer, returns the engine's own time for it in ns. */
    /** The engine's client from the bench's arguments: engine, user, password, on {@code database}. */
    static Client engineClient(Map<String, String> args, String database) {
        return new Client.Builder().addEndpoint(args.get("engine"))
                .setUsername(args.getOrDefault("user", "default")).setPassword(args.getOrDefault("password", ""))
                .setDefaultDatabase(database).compressServerResponse(false).build();
    }

    static long serverTime(Client client, String sql, Map<String, Object> params) throws Exception {
        try (QueryResponse r = client.query(sql, params, new QuerySettings()).get(1, TimeUnit.MINUTES);
             InputStream in = r.getInputStream()) {
            in.transferTo(OutputStream.nullOutputStream());
            return r.getServerTime();
        }
    }

    /**
     * Waits, up to {@code atMost}, until no merge ran in {@code database} three checks in a row, and
     * prints how long that took: the steady state is measured, not the minutes right after a bulk
     * load while merges take the CPU.
     */
    static void settleMerges(Client client, String database, Duration atMost) {
        long settling = System.nanoTime();
        int[] quiet = {0};
        try {
            await().pollInterval(Duration.ofSeconds(1)).atMost(atMost).until(() -> {
                quiet[0] = client.queryAll("SELECT count() FROM system.merges WHERE database = {db:String}",
                        Map.of("db", database), new QuerySettings()).getFirst().getLong(1) == 0 ? quiet[0] + 1 : 0;
                return quiet[0] >= 3;
            });
        } catch (ConditionTimeoutException e) {
            System.out.print("; merges still running after " + atMost.toMinutes() + " min");
        }
        System.out.printf(Locale.ROOT, "; merges settled after %.0f s", (System.nanoTime() - settling) / 1e9);
    }
}
