package io.github.eventsstats.health;

import io.github.eventsstats.github.RateBudget;
import io.github.eventsstats.poller.EventsPoller;
import io.github.eventsstats.poller.PollState;
import io.github.eventsstats.poller.PollerStatusService;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import java.time.Instant;
import java.time.InstantSource;

/**
 * The poller's health, in the wellness group (/q/health/well, and /q/health): DOWN when the last
 * successful poll is more than three intervals old, except while GitHub told us to wait. It is
 * deliberately not readiness: the API answers from ClickHouse whether GitHub is reachable or not.
 */
@Wellness
@ApplicationScoped
public class PollerHealthCheck implements HealthCheck {

    private final EventsPoller poller;
    private final RateBudget budget;
    private final InstantSource clock;
    private final PollerStatusService status;

    PollerHealthCheck(EventsPoller poller, RateBudget budget, InstantSource clock, PollerStatusService status) {
        this.poller = poller;
        this.status = status;
        this.budget = budget;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("poller");
        if (!poller.enabled()) {
            return b.up().withData("disabled", true).build();
        }
        PollState s = poller.state();
        boolean overdue = poller.overdue();
        b.withData("last_success_at", text(s.lastSuccessAt)) // JSON null until the first success, not "null"
                .withData("next_poll_at", text(s.nextPollAt))
                .withData("waiting_for", s.waitReason.name().toLowerCase())
                .withData("interval_seconds", poller.interval().toSeconds()) // POLLER_MIN_INTERVAL included
                .withData("consecutive_failures", s.consecutiveFailures)
                .withData("backlog_events", poller.backlogSize())
                .withData("overdue", overdue)
                .withData("last_failure", s.lastFailure) // JSON null after a success
                .withData("reason", status.reason())
                .withData("token", status.token());
        RateBudget.Snapshot rate = budget.snapshot(clock.instant());
        rate.window().ifPresent(w -> b.withData("rate_limit", w.limit())
                .withData("rate_remaining", w.remaining())
                .withData("rate_reset_at", w.reset().toString()));
        b.withData("rate_in_flight", rate.inFlight())
                .withData("rate_reserve", rate.reserve())
                .withData("rate_claimed_watched", rate.watchedClaim())
                .withData("rate_claimed_on_demand", rate.onDemandClaim())
                .withData("rate_kept_for_firehose", rate.firehoseNeeds());
        return b.status(!overdue).build();
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
