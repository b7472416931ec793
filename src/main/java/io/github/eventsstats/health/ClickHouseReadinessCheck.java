package io.github.eventsstats.health;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.clickhouse.SchemaMigrator;
import io.github.eventsstats.embedded.EmbeddedClickHouse;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.List;
import java.util.Optional;

/**
 * Ready only when ClickHouse answers, the schema is applied and every table and view it made is
 * still there (one dropped by hand fails the answers that read it). A probe never connects by
 * itself: building the client would start an embedded engine, so before anything has used
 * ClickHouse the answer is DOWN, not connected yet. Where ClickHouse is stays out of the answer:
 * the embedded engine's port is for this machine's processes, not for whoever can read /q/health.
 */
@Readiness
@ApplicationScoped
public class ClickHouseReadinessCheck implements HealthCheck {

    private final ClickHouse clickHouse;
    private final SchemaMigrator migrator;
    private final EmbeddedClickHouse embedded;

    ClickHouseReadinessCheck(ClickHouse clickHouse, SchemaMigrator migrator, EmbeddedClickHouse embedded) {
        this.clickHouse = clickHouse;
        this.migrator = migrator;
        this.embedded = embedded;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("clickhouse");
        Optional<String> endpoint = clickHouse.connectedEndpoint();
        // A dead embedded engine is DOWN at once, without waiting for the client's retries.
        boolean engineAlive = embedded.engine().map(e -> e.isAlive()).orElse(true);
        boolean reachable = endpoint.isPresent() && engineAlive && clickHouse.ping();
        b.withData("connected", endpoint.isPresent())
                .withData("engine", embedded.enabled() ? "embedded" : "external")
                .withData("reachable", reachable)
                .withData("schema_applied", migrator.isApplied());
        embedded.engine().ifPresent(e -> {
            b.withData("engine_alive", e.isAlive());
            b.withData("engine_restarts", e.restartCount());
        });
        if (migrator.lastError() != null) {
            b.withData("schema_error", migrator.lastError());
        }
        List<String> missing = reachable && migrator.isApplied() ? migrator.missingObjects() : List.of();
        if (!missing.isEmpty()) {
            b.withData("missing_tables", String.join(", ", missing));
        }
        return b.status(reachable && migrator.isApplied() && missing.isEmpty()).build();
    }
}
