package io.github.eventsstats.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.lang.management.ManagementFactory;

/**
 * The process is alive while it can answer. ClickHouse is deliberately not part of liveness:
 * restarting the service would not bring a stopped database back.
 */
@Liveness
@ApplicationScoped
public class ProcessLivenessCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("process")
                .withData("uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000)
                .up()
                .build();
    }
}
