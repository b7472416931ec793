package io.github.eventsstats;

import io.github.eventsstats.archive.BackfillCommand;
import io.github.eventsstats.embedded.ChdbLibrary;
import io.github.eventsstats.embedded.EngineMain;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code quarkus-run.jar} with no command runs the service. {@code engine [--port N]} runs only
 * the embedded ClickHouse engine on a fixed port, for curl and other ClickHouse HTTP tools.
 * {@code healthcheck} exits 0 when the local service is ready (for container health checks).
 * {@code backfill ...} loads archive files and exits (see {@link BackfillCommand}).
 */
@QuarkusMain
public final class Main {

    public static void main(String... args) throws Exception {
        if (args.length > 0 && args[0].equals("engine")) {
            runEngine(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("healthcheck")) {
            System.exit(healthcheck());
        }
        if (args.length > 0 && args[0].equals("backfill")) {
            BackfillCommand.launch(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Quarkus.run(args);
    }

    /**
     * Exit 0 when this machine's service is ready: the container HEALTHCHECK, for images that have
     * no curl (the native micro image). Starts no Quarkus.
     */
    private static int healthcheck() {
        String port = Optional.ofNullable(System.getenv("PORT")).orElse("8080");
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            var request = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(java.time.Duration.ofSeconds(4)).build();
            int status = http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200 ? 0 : 1;
        } catch (Exception e) {
            return 1;
        }
    }

    /** The standalone engine reads the same environment variables as the service. */
    private static void runEngine(String[] args) throws Exception {
        List<String> engineArgs = new ArrayList<>(List.of(
                "--library", ChdbLibrary.resolve().toString(),
                "--path", Path.of(Optional.ofNullable(System.getenv("DATA_DIR")).orElse("data"), "clickhouse").toString(),
                "--port", Optional.ofNullable(System.getenv("CLICKHOUSE_EMBEDDED_PORT")).orElse("8123")));
        engineArgs.addAll(Arrays.asList(args)); // later flags win
        EngineMain.main(engineArgs.toArray(String[]::new));
        Thread.currentThread().join(); // serve until killed
    }
}
