package io.github.eventsstats.github;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing of GitHub's response headers; anything missing or malformed is simply absent. */
public final class GitHubHeaders {

    private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"([^\"]+)\"");

    private GitHubHeaders() {
    }

    /** {@code <url>; rel="next", <url>; rel="last"} → rel → url. */
    public static Map<String, String> links(String header) {
        Map<String, String> links = new LinkedHashMap<>();
        if (header == null) {
            return links;
        }
        Matcher m = LINK.matcher(header);
        while (m.find()) {
            for (String rel : m.group(2).trim().split("\\s+")) {
                links.putIfAbsent(rel, m.group(1));
            }
        }
        return links;
    }

    public static Optional<Long> number(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Retry-After is seconds or an HTTP date. */
    public static Optional<Duration> retryAfter(String value, Instant now) {
        if (value == null) {
            return Optional.empty();
        }
        Optional<Long> seconds = number(value);
        if (seconds.isPresent()) {
            return Optional.of(Duration.ofSeconds(Math.max(0, seconds.get())));
        }
        try {
            Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public static EventsPage page(int status, byte[] body, Function<String, String> header, Instant now) {
        Optional<EventsPage.RateLimit> rate = number(header.apply("X-RateLimit-Remaining")).flatMap(remaining ->
                number(header.apply("X-RateLimit-Reset")).map(reset -> new EventsPage.RateLimit(
                        number(header.apply("X-RateLimit-Limit")).orElse(-1L), remaining,
                        Instant.ofEpochSecond(reset), number(header.apply("X-RateLimit-Used")).orElse(-1L))));
        return new EventsPage(status, body,
                Optional.ofNullable(header.apply("ETag")).filter(s -> !s.isBlank()),
                number(header.apply("X-Poll-Interval")).filter(s -> s > 0).map(Duration::ofSeconds),
                rate,
                retryAfter(header.apply("Retry-After"), now),
                Optional.ofNullable(links(header.apply("Link")).get("next")),
                now);
    }
}
