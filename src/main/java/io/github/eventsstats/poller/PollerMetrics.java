package io.github.eventsstats.poller;

import io.github.eventsstats.event.EventMapper;
import io.github.eventsstats.event.EventType;
import io.github.eventsstats.ingest.EventWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** The poller's Micrometer meters. */
final class PollerMetrics {

    private final MeterRegistry registry;

    PollerMetrics(MeterRegistry registry, EventsPoller poller, InstantSource clock) {
        this.registry = registry;
        Gauge.builder("github.poll.interval.seconds", poller, p -> p.state().pollIntervalSeconds)
                .description("Poll interval asked for by X-Poll-Interval").register(registry);
        Gauge.builder("github.poll.last.success.age.seconds", poller, p -> {
            Instant last = p.state().lastSuccessAt;
            return last == null ? Double.NaN : Duration.between(last, clock.instant()).toMillis() / 1000.0;
        }).description("Seconds since the last successful poll").register(registry);
        Gauge.builder("ingest.backlog.events", poller, EventsPoller::backlogSize)
                .description("Fetched events waiting for ClickHouse").register(registry);
    }

    void poll(PollPlanner.Outcome outcome) {
        Counter.builder("github.poll").tag("outcome", outcome.tag())
                .description("Polls of the Events API by outcome").register(registry).increment();
    }

    void fetched(EventMapper.Mapped m) {
        String type = typeTag(m.type());
        Counter.builder("github.events.fetched").tag("type", type).register(registry).increment();
        if (m.problem() != null) {
            Counter.builder("github.events.invalid").tag("type", type).register(registry).increment();
        } else if (!m.kept()) {
            Counter.builder("github.events.skipped").tag("type", type).register(registry).increment();
        }
    }

    /** GitHub's documented names only: a series per made-up type would exhaust the registry. */
    private static String typeTag(String type) {
        return type == null ? "unknown" : EventType.known(type) ? type : "other";
    }

    void stored(EventWriter.Result result) {
        result.storedByType().forEach((type, n) ->
                Counter.builder("github.events.stored").tag("type", typeTag(type)).register(registry).increment(n));
        Counter.builder("github.events.duplicates").description("Fetched events that were already stored")
                .register(registry).increment(result.duplicates());
    }
}
