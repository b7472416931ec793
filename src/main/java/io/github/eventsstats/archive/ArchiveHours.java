package io.github.eventsstats.archive;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** GH Archive's hour files: names ({@code 2024-01-15-3.json.gz}, the hour without a leading zero) and ranges. */
public final class ArchiveHours {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    /** The first hour GH Archive has. */
    static final Instant FIRST = Instant.parse("2011-02-12T00:00:00Z");
    /** The most hours one sync plans (about 11 years): a typo in a year must not plan millions. */
    static final int MAX_HOURS = 100_000;

    private ArchiveHours() {
    }

    static String name(Instant hour) {
        return DAY.format(hour) + "-" + hour.atOffset(ZoneOffset.UTC).getHour() + ".json.gz";
    }

    /**
     * An hour as a command or a setting names it: a UTC date-hour, or a period back from whenever
     * it is resolved. Read once by {@link #parse(String)}; resolved by {@link #at} on the caller's
     * clock. Either way the hour is no earlier than {@link #FIRST}: GH Archive has nothing before it.
     */
    public sealed interface HourSpec {

        /**
         * The hour this names at {@code now}.
         *
         * @throws IllegalArgumentException when that hour is before {@link #FIRST}
         */
        Instant at(Instant now);
    }

    /** A date-hour: the hour it starts, checked when it is made. */
    public record At(Instant hour) implements HourSpec {
        public At {
            hour = hour.truncatedTo(ChronoUnit.HOURS);
            archived(hour, hour.toString());
        }

        @Override
        public Instant at(Instant now) {
            return hour;
        }
    }

    /** A period back ({@code P7D}, {@code PT12H}): the hour it falls in, counted from {@code now}. */
    public record Back(Duration period) implements HourSpec {
        public Back {
            if (period.isNegative()) {
                throw new IllegalArgumentException("a period back must not be negative: " + period);
            }
        }

        @Override
        public Instant at(Instant now) {
            String what = period + " back from " + now.truncatedTo(ChronoUnit.SECONDS);
            try {
                return archived(now.minus(period).truncatedTo(ChronoUnit.HOURS), what);
            } catch (DateTimeException | ArithmeticException e) { // so far back that it is out of Instant's range
                throw beforeFirst(what);
            }
        }
    }

    private static Instant archived(Instant hour, String what) {
        if (hour.isBefore(FIRST)) {
            throw beforeFirst(what);
        }
        return hour;
    }

    private static IllegalArgumentException beforeFirst(String what) {
        return new IllegalArgumentException(what + " is before GH Archive's first hour, " + FIRST);
    }

    /**
     * A date-hour such as {@code 2026-11-01T00} (also with minutes, or an instant with Z), as the
     * hour it starts, no earlier than {@link #FIRST}; or a period back such as {@code P7D} or
     * {@code PT12H}.
     *
     * @throws IllegalArgumentException saying what is accepted
     */
    public static HourSpec parse(String text) {
        String t = text.strip();
        try {
            if (t.startsWith("P") || t.startsWith("p")) {
                return new Back(Duration.parse(t));
            }
            if (t.endsWith("Z") || t.endsWith("z")) {
                return new At(Instant.parse(t.toUpperCase(java.util.Locale.ROOT)));
            }
            String local = t.length() == 13 ? t + ":00" : t;
            return new At(LocalDateTime.parse(local).toInstant(ZoneOffset.UTC));
        } catch (DateTimeException | ArithmeticException e) { // unparseable, or out of Instant's range
            throw new IllegalArgumentException("'" + text + "' is neither a UTC date-hour such as 2026-11-01T00 nor a"
                    + " period back such as P7D");
        }
    }

    /** {@link #parse(String)}, resolved at {@code now}. */
    public static Instant parse(String text, Instant now) {
        return parse(text).at(now);
    }

    /**
     * Whether a sync may plan {@code from} up to {@code to}: checked before it is accepted, so a
     * typo fails at once rather than as the job it started.
     *
     * @throws IllegalArgumentException saying why not
     */
    public static void checkRange(Instant from, Instant to) {
        long hours = Duration.between(from, to).toHours();
        if (hours > MAX_HOURS) {
            throw new IllegalArgumentException(from + " to " + to + " holds " + hours + " hours; at most " + MAX_HOURS
                    + " at once");
        }
    }

    /** The hours from {@code from} up to, not including, {@code to}. */
    static List<Instant> range(Instant from, Instant to) {
        checkRange(from, to);
        long n = Math.max(0, Duration.between(from, to).toHours());
        List<Instant> hours = new ArrayList<>((int) n);
        for (Instant h = from; h.isBefore(to); h = h.plus(1, ChronoUnit.HOURS)) {
            hours.add(h);
        }
        return hours;
    }
}
