package io.github.eventsstats.health;

import io.github.eventsstats.embedded.EmbeddedClickHouse;
import io.github.eventsstats.store.ClickHouse;
import io.github.eventsstats.store.SchemaMigrator;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when ClickHouse answers and the schema is applied. */
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
        // A dead embedded engine is DOWN at once, without waiting for the client's retries.
        boolean engineAlive = embedded.engine().map(e -> e.isAlive()).orElse(true);
        boolean reachable = engineAlive && clickHouse.ping();
        b.withData("endpoint", clickHouse.endpoint())
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
        return b.status(reachable && migrator.isApplied()).build();
    }
}
