package io.github.eventsstats.api;

import io.github.eventsstats.clickhouse.DataChanges;
import io.github.eventsstats.event.EventType;
import io.github.eventsstats.platform.FakeClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * With the answer cache on: a question that differs from one just answered in any one parameter
 * gets its own answer, never the other's, so every parameter is part of its answer's key. (A key
 * built by hand once left a parameter out and served the answer to another question.)
 */
@QuarkusTest
@TestProfile(ApiGuardsProfile.class)
class CachedAnswerKeysTest extends ApiTestBase {

    @Inject
    FakeClock clock;
    @Inject
    DataChanges changes;

    /** A cached endpoint, the parameters of a first question, and another value for each of them. */
    private record Question(String path, Map<String, String> asked, Map<String, String> otherwise) {

        List<String> variants() {
            List<String> variants = new ArrayList<>();
            otherwise.forEach((parameter, value) -> {
                Map<String, String> changed = new LinkedHashMap<>(asked);
                changed.put(parameter, value);
                variants.add(url(changed));
            });
            return variants;
        }

        String url(Map<String, String> parameters) {
            return path + (parameters.isEmpty() ? "" : parameters.entrySet().stream()
                    .map(p -> p.getKey() + "=" + p.getValue()).collect(Collectors.joining("&", "?", "")));
        }
    }

    @Test
    void aQuestionDifferingInAnyOneParameterIsAnsweredApart() {
        Instant now = clock.instant();
        String repo = uniqueRepo("keys-org");
        String other = uniqueRepo("keys-org");
        // Two actors active in the window, so that the actor filter changes the answer.
        write(List.of(event(EventType.PUSH, repo, "keys-a", "", now.minusSeconds(60)),
                pr(repo, "opened", now.minusSeconds(120)),
                event(EventType.WATCH, other, "keys-b", "started", now.minus(Duration.ofHours(2)))));
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);

        List<String[]> pairs = new ArrayList<>();
        pairs.add(new String[] {"/metrics/pr-average/" + repo, "/metrics/pr-average/" + other});
        for (Question q : List.of(
                new Question("/metrics/events", ordered("offset", "60"), ordered("offset", "61")),
                new Question("/metrics/visualization", ordered("interval", "hour"), ordered("interval", "day",
                        "from", hour.minus(Duration.ofHours(3)).toString(),
                        "to", hour.plus(Duration.ofHours(2)).toString())),
                new Question("/metrics/event-avg-time",
                        ordered("event_type", "PushEvent", "action", "opened", "repository_name", repo),
                        ordered("event_type", "PullRequestEvent", "action", "closed", "repository_name", other)),
                new Question("/metrics/events-total-count", ordered("action", "opened", "repository_name", repo),
                        ordered("action", "started", "repository_name", other)),
                new Question("/metrics/multiple-events-repos",
                        ordered("event_type", "PushEvent", "min_count", "0", "limit", "10"),
                        ordered("event_type", "WatchEvent", "min_count", "1", "limit", "11")),
                new Question("/metrics/top-repos", ordered("days", "1", "limit", "5"), ordered("days", "2", "limit", "6")),
                new Question("/metrics/user-sessions", ordered("days", "1", "limit", "5"),
                        ordered("days", "2", "limit", "6", "actor_login", "keys-a")),
                new Question("/metrics/top-countries", ordered("days", "1", "limit", "5"),
                        ordered("days", "2", "limit", "6")))) {
            String first = q.url(q.asked());
            q.variants().forEach(variant -> pairs.add(new String[] {first, variant}));
        }

        for (String[] pair : pairs) {
            Map<String, Object> first = answer(pair[0]);
            Map<String, Object> asked = answer(pair[1]);
            changes.changed(); // a new key for every question: computed afresh
            Map<String, Object> fresh = answer(pair[1]);
            assertNotEquals(first, fresh, pair[1] + " has an answer of its own, unlike " + pair[0]);
            assertEquals(fresh, asked, pair[1] + " was answered as asked, not as " + pair[0]);
        }
    }

    /** Parameters in the order given, so that every run asks the same URLs. */
    private static Map<String, String> ordered(String... namesAndValues) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            parameters.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return parameters;
    }

    /** The body without its coverage, which a coverage refresh may change between two questions. */
    private static Map<String, Object> answer(String url) {
        Map<String, Object> body = new LinkedHashMap<>(getOk(url).getMap("$"));
        body.remove("coverage");
        return body;
    }
}
