package io.github.eventsstats.poller;

import io.github.eventsstats.github.GitHubConfig;
import io.github.eventsstats.github.RateBudget;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.InstantSource;

/**
 * The one {@link RateBudget} of the service, with POLLER_RATE_LIMIT_RESERVE, its meters in
 * /q/metrics, and the one line at start that says what 60 requests/h allow without a token.
 */
@Singleton
public class RateBudgetProducer {

    private static final Logger LOG = Logger.getLogger(RateBudgetProducer.class);
    private static final long WITHOUT_TOKEN = 60;

    @Produces
    @Singleton
    RateBudget budget(PollerConfig config, MeterRegistry registry, InstantSource clock) {
        RateBudget budget = new RateBudget(config.rateLimitReserve());
        Gauge.builder("github.ratelimit.remaining", budget, b -> b.snapshot(clock.instant()).window()
                        .map(w -> (double) w.remaining()).orElse(Double.NaN))
                .description("X-RateLimit-Remaining of the latest answer").register(registry);
        Gauge.builder("github.ratelimit.limit", budget, b -> b.snapshot(clock.instant()).window()
                        .map(w -> (double) w.limit()).orElse(Double.NaN))
                .description("X-RateLimit-Limit of the latest answer").register(registry);
        Gauge.builder("github.ratelimit.reset.seconds", budget, b -> b.snapshot(clock.instant()).window()
                        .map(w -> (double) w.reset().getEpochSecond() - clock.instant().getEpochSecond()).orElse(Double.NaN))
                .description("Seconds until the rate-limit window resets").register(registry);
        Gauge.builder("github.budget.in.flight", budget, b -> b.snapshot(clock.instant()).inFlight())
                .description("GitHub requests sent and not answered yet").register(registry);
        Gauge.builder("github.budget.firehose.reserved", budget, b -> b.snapshot(clock.instant()).firehoseNeeds())
                .description("Requests enrichment leaves for the firehose until the reset").register(registry);
        Gauge.builder("github.budget.claimed", budget, b -> b.snapshot(clock.instant()).watchedClaim())
                .tag("tier", "watched").description("Requests a tier has waiting, which the tiers after it leave")
                .register(registry);
        Gauge.builder("github.budget.claimed", budget, b -> b.snapshot(clock.instant()).onDemandClaim())
                .tag("tier", "on_demand").description("Requests a tier has waiting, which the tiers after it leave")
                .register(registry);
        for (RateBudget.Use use : RateBudget.Use.values()) {
            FunctionCounter.builder("github.budget.granted", budget, b -> b.granted(use)).tag("use", use.tag())
                    .description("GitHub requests the rate budget allowed").register(registry);
            FunctionCounter.builder("github.budget.denied", budget, b -> b.denied(use)).tag("use", use.tag())
                    .description("GitHub requests the rate budget held back").register(registry);
        }
        return budget;
    }

    void onStart(@Observes StartupEvent event, PollerConfig poller, GitHubConfig github, EventsPoller firehose) {
        if (poller.enabled() && github.token().filter(t -> !t.isBlank()).isEmpty()) {
            LOG.infof("github: no GITHUB_TOKEN: %s", RateBudget.allows(WITHOUT_TOKEN, poller.rateLimitReserve(),
                    firehose.interval(), poller.maxPages()));
        }
    }
}
