package io.github.eventsstats.health;

import io.github.eventsstats.embedded.EmbeddedClickHouse;
import io.github.eventsstats.embedded.EngineProcess;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Readiness and the embedded engine's restarts as Prometheus metrics, for alerts
 * (docker/prometheus/alerts.yml): {@code health_readiness_up} (1 or 0) and
 * {@code clickhouse_engine_restarts_total}. Readiness is checked on a scheduler thread, never
 * while a scrape waits, since its ping blocks.
 */
@Startup
@ApplicationScoped
public class HealthMetrics {

    private final ClickHouseReadinessCheck readiness;
    private final AtomicInteger ready = new AtomicInteger();

    HealthMetrics(MeterRegistry registry, @Readiness ClickHouseReadinessCheck readiness, EmbeddedClickHouse embedded) {
        this.readiness = readiness;
        Gauge.builder("health.readiness.up", ready, AtomicInteger::get)
                .description("1 while the readiness check (ClickHouse reachable, schema applied) is UP").register(registry);
        FunctionCounter.builder("clickhouse.engine.restarts", embedded,
                        e -> e.engine().map(EngineProcess::restartCount).orElse(0L))
                .description("Restarts of the embedded ClickHouse engine after it died").register(registry);
    }

    @Scheduled(every = "15s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        ready.set(readiness.call().getStatus() == HealthCheckResponse.Status.UP ? 1 : 0);
    }
}
