package io.github.eventsstats.cli;

import io.quarkus.runtime.annotations.RegisterForReflection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The container HEALTHCHECK, for images without curl (the native micro image): starts neither
 * Quarkus nor an engine, only reads the port from the configuration.
 */
@Command(name = "healthcheck", sortOptions = false,
        header = "Exit 0 when the service on this machine is ready, else 1 (for container health checks).",
        description = {"Asks http://127.0.0.1:PORT/q/health/ready, PORT being quarkus.http.port (PORT, or"
                + " QUARKUS_HTTP_PORT); 200 within 4 s is ready, anything else is reported on one line. Starts"
                + " neither the service nor an engine."})
@RegisterForReflection
final class HealthcheckCommand implements Callable<Integer> {

    static final Duration TIMEOUT = Duration.ofSeconds(4);

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public Integer call() {
        int port = ConfigBootstrap.read().getValue("quarkus.http.port", Integer.class);
        return check(URI.create("http://127.0.0.1:" + port + "/q/health/ready"), spec.commandLine().getErr());
    }

    static int check(URI ready, PrintWriter err) {
        HttpURLConnection http = null;
        try {
            // Not java.net.http: its client sets up TLS first, which costs this short-lived JVM half a second.
            http = (HttpURLConnection) ready.toURL().openConnection(Proxy.NO_PROXY);
            http.setConnectTimeout((int) TIMEOUT.toMillis());
            http.setReadTimeout((int) TIMEOUT.toMillis());
            int status = http.getResponseCode();
            if (status == 200) {
                return 0;
            }
            err.println("healthcheck: " + ready + " answered " + status);
        } catch (IOException | RuntimeException e) {
            err.println("healthcheck: " + ready + ": " + e);
        } finally {
            if (http != null) {
                http.disconnect();
            }
        }
        return 1;
    }
}
