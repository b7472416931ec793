package io.github.eventsstats.retention;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/**
 * What has expired at the clock's now: the one horizon that the deletions ({@link RetentionJob}),
 * the rollup, coverage and every answer go by, so that an answer is the same whether or not the
 * expired rows are deleted yet.
 *
 * <p>Rows expire by whole UTC days: a day's events once the whole day is older than
 * EVENTS_RETENTION (so at least that much is always kept, and at most a day more), the hourly
 * rollups' rows likewise under ROLLUP_RETENTION. Whole days, because deleting rows rewrites the
 * parts that hold them, and the parts of a month partition hold every day of it: deleting by the
 * hour would rewrite the oldest month 24 times a day (docs/design/retention.md).
 *
 * <p>Created at start-up, so that a bad setting stops it with the variable's name.
 */
@Startup
@ApplicationScoped
public class Retention {

    static final Duration DAY = Duration.ofDays(1);
    /**
     * The rollup and the coverage refresh stop counting a day's hours this long before its events
     * expire: a count read while the deletion (or the engine's own TTL, by its clock) takes the
     * day's rows would be kept as the day's final count. Far more than a count takes or clocks
     * drift apart.
     */
    static final Duration COUNT_MARGIN = Duration.ofMinutes(10);

    private final Optional<Duration> events;
    private final Optional<Duration> rollups;
    private final Optional<Duration> raw;
    private final InstantSource clock;

    @Inject
    Retention(EventsRetentionConfig events, RollupRetentionConfig rollups, RawRetentionConfig raw, InstantSource clock) {
        this(events.retention(), rollups.retention(), raw.retention(), clock);
    }

    /** @throws IllegalArgumentException naming the setting that is wrong, and why */
    Retention(Optional<Duration> events, Optional<Duration> rollups, Optional<Duration> raw, InstantSource clock) {
        this.events = events.map(d -> wholeDays("EVENTS_RETENTION", d));
        this.rollups = rollups.map(d -> wholeDays("ROLLUP_RETENTION", d));
        this.raw = raw.map(d -> {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("RAW_RETENTION must be positive, such as 7d; got " + d);
            }
            return d;
        });
        this.clock = clock;
        if (this.rollups.isPresent()) {
            if (this.events.isEmpty()) {
                throw new IllegalArgumentException("ROLLUP_RETENTION is set but EVENTS_RETENTION is not: the rollups"
                        + " would expire under events kept for ever; set EVENTS_RETENTION too, or unset ROLLUP_RETENTION");
            }
            if (this.rollups.get().compareTo(this.events.get()) < 0) {
                throw new IllegalArgumentException("ROLLUP_RETENTION (" + this.rollups.get().toDays() + "d) must be at least"
                        + " EVENTS_RETENTION (" + this.events.get().toDays() + "d): long windows read the rollups of hours whose"
                        + " events are gone");
            }
        }
    }

    private static Duration wholeDays(String variable, Duration d) {
        if (d.compareTo(DAY) < 0 || !d.equals(Duration.ofDays(d.toDays()))) {
            throw new IllegalArgumentException(variable + " must be a whole number of days, at least 1d, such as 30d; got "
                    + d + " (events expire by whole UTC days)");
        }
        if (d.toDays() > 36_500) {
            throw new IllegalArgumentException(variable + " must be at most 36500d (unset it to keep everything); got "
                    + d.toDays() + "d");
        }
        return d;
    }

    /** EVENTS_RETENTION, if set. */
    public Optional<Duration> events() {
        return events;
    }

    /** ROLLUP_RETENTION, if set. */
    public Optional<Duration> rollups() {
        return rollups;
    }

    /** RAW_RETENTION, if set. */
    public Optional<Duration> raw() {
        return raw;
    }

    /**
     * The start of the first UTC day whose events are kept: rows created before it have expired,
     * deleted or about to be. Empty while events are kept for ever.
     */
    public Optional<Instant> eventsExpiredBefore() {
        return events.map(keep -> expiredBefore(clock.instant(), keep));
    }

    /** {@link #eventsExpiredBefore}, or the epoch: the first instant every answer reads `events` from. */
    public Instant eventsKeptFrom() {
        return eventsExpiredBefore().orElse(Instant.EPOCH);
    }

    /** The start of the first UTC day whose rollup rows are kept; empty while they are kept for ever. */
    public Optional<Instant> rollupsExpiredBefore() {
        return rollups.map(keep -> expiredBefore(clock.instant(), keep));
    }

    /** {@link #rollupsExpiredBefore}, or the epoch. */
    public Instant rollupsKeptFrom() {
        return rollupsExpiredBefore().orElse(Instant.EPOCH);
    }

    /**
     * The first hour the rollup and the coverage refresh may still count from `events` and the
     * sightings: the hours before it have expired, or will within {@link #COUNT_MARGIN}, and
     * keep the counts they have.
     */
    public Instant countableFrom() {
        return events.map(keep -> expiredBefore(clock.instant().plus(COUNT_MARGIN), keep)).orElse(Instant.EPOCH);
    }

    /** Raw hour files that ended before this have expired. */
    public Optional<Instant> rawExpiredBefore() {
        return raw.map(keep -> clock.instant().minus(keep));
    }

    /**
     * The start of the first UTC day kept at {@code now} under {@code keep}: a day D has expired
     * once its end, D + 1 day, is {@code keep} old, that is once D is before the day of now - keep.
     */
    static Instant expiredBefore(Instant now, Duration keep) {
        long t = now.minus(keep).getEpochSecond();
        return Instant.ofEpochSecond(Math.floorDiv(t, DAY.toSeconds()) * DAY.toSeconds());
    }
}
