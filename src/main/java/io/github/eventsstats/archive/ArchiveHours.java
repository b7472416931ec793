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
     * A date-hour such as {@code 2026-11-01T00} (also with minutes, or an instant with Z), as the
     * hour it starts; or, with {@code now}, a period back such as {@code P7D} or {@code PT12H}. No
     * earlier than {@link #FIRST}: GH Archive has nothing before it.
     *
     * @throws IllegalArgumentException saying what is accepted
     */
    public static Instant parse(String text, Instant now) {
        Instant hour = read(text, now);
        if (hour.isBefore(FIRST)) {
            throw new IllegalArgumentException("'" + text + "' is " + hour + ", before GH Archive's first hour, "
                    + FIRST);
        }
        return hour;
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

    private static Instant read(String text, Instant now) {
        String t = text.strip();
        try {
            if (t.startsWith("P") || t.startsWith("p")) {
                Duration back = Duration.parse(t);
                if (back.isNegative()) {
                    throw new IllegalArgumentException("a period back must not be negative: " + text);
                }
                return now.minus(back).truncatedTo(ChronoUnit.HOURS);
            }
            if (t.endsWith("Z") || t.endsWith("z")) {
                return Instant.parse(t.toUpperCase(java.util.Locale.ROOT)).truncatedTo(ChronoUnit.HOURS);
            }
            String local = t.length() == 13 ? t + ":00" : t;
            return LocalDateTime.parse(local).toInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
        } catch (DateTimeException | ArithmeticException e) { // unparseable, or out of Instant's range
            throw new IllegalArgumentException("'" + text + "' is neither a UTC date-hour such as 2026-11-01T00 nor a"
                    + " period back such as P7D");
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
