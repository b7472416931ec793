package io.github.eventsstats.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.event.EventSource;
import io.github.eventsstats.ingest.EventWriter;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboards under docker/grafana/dashboards against this service: every ClickHouse
 * panel's SQL (its macros replaced by concrete times, as the data source plugin would) runs on the
 * embedded engine and finds the generated events, and every metric a Prometheus panel or alert
 * names is one the service exports at /q/metrics. A schema change that breaks a panel fails here.
 */
@QuarkusTest
public class GrafanaPanelsTest {

    private static final Path DASHBOARDS = Path.of("docker/grafana/dashboards");
    private static final Path ALERTS = Path.of("docker/prometheus/alerts.yml");
    private static final Pattern MACRO = Pattern.compile("\\$__(\\w+)(?:\\(([^)]*)\\))?");
    /** Registered on the first poll; the tests' poller is disabled (EventsPollerTest polls). */
    private static final Set<String> ON_FIRST_POLL = Set.of("github_poll_total");
    /** Registered only with KAFKA_BOOTSTRAP_SERVERS set; StreamTest finds them in /q/metrics. */
    public static final Set<String> ONLY_WITH_KAFKA = Set.of("stream_consumer_lag_events", "stream_consumer_paused",
            "stream_consumer_last_poll_age_seconds");

    @Inject
    EventWriter writer;
    @Inject
    ClickHouse clickHouse;

    record Panel(String dashboard, String title, String datasource, String query) {
    }

    @Test
    void everyClickHousePanelRunsOnTheEngineAndFindsTheEvents() throws IOException {
        clickHouse.execute("TRUNCATE TABLE events");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        writer.write(DashboardBrowserIT.generated(now), EventSource.FIREHOSE);
        Instant from = now.minus(Duration.ofHours(24));

        List<Panel> sql = panels().stream().filter(p -> p.datasource().equals("grafana-clickhouse-datasource")).toList();
        assertTrue(sql.size() >= 4, "events per minute, top repositories, PR averages, recent events: " + sql);
        for (Panel p : sql) {
            String query = expand(p.query(), from, now);
            assertFalse(query.contains("$"), p + ": a macro or variable the test does not know: " + query);
            List<?> rows = clickHouse.query(query, Map.of());
            assertFalse(rows.isEmpty(), p.dashboard() + " / " + p.title() + " found nothing in the generated events");
        }
    }

    @Test
    void everyMetricThePrometheusPanelsAndAlertsNameIsExported() throws IOException {
        given().get("/metrics/events?offset=5").then().statusCode(200); // an HTTP timer to see
        String exported = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Set<String> names = new TreeSet<>();
        for (Panel p : panels()) {
            if (p.datasource().equals("prometheus")) {
                names.addAll(metricNames(p.query()));
            }
        }
        for (String line : Files.readAllLines(ALERTS)) {
            if (line.trim().startsWith("expr:")) {
                names.addAll(metricNames(line.substring(line.indexOf("expr:") + 5)));
            }
        }
        assertTrue(names.contains("http_server_requests_seconds_count"), names.toString());
        for (String name : names) {
            if (!ON_FIRST_POLL.contains(name) && !ONLY_WITH_KAFKA.contains(name) && !name.equals("up")) {
                assertTrue(Pattern.compile("(?m)^" + name + "[{ ]").matcher(exported).find(),
                        name + " is not in /q/metrics");
            }
        }
    }

    /** The macros of grafana-clickhouse-datasource that the panels use, as concrete SQL. */
    static String expand(String sql, Instant from, Instant to) {
        Matcher m = MACRO.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = switch (m.group(1)) {
                case "timeFilter" -> m.group(2) + " >= " + dateTime(from) + " AND " + m.group(2) + " <= " + dateTime(to);
                case "fromTime" -> dateTime(from);
                case "toTime" -> dateTime(to);
                case "timeInterval" -> "toStartOfInterval(toDateTime(" + m.group(2) + "), INTERVAL 60 second)";
                case "interval_s" -> "60";
                default -> m.group();
            };
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(out).toString();
    }

    private static String dateTime(Instant t) {
        return "toDateTime('" + t.toString().replace("T", " ").replace("Z", "") + "', 'UTC')";
    }

    /** Names in a PromQL expression that are metrics: not functions, keywords or label names. */
    private static Set<String> metricNames(String expr) {
        Set<String> names = new TreeSet<>();
        String withoutLabels = expr.replaceAll("\\{[^}]*}", "").replaceAll("(by|without) \\([^)]*\\)", "")
                .replaceAll("\\[[^]]*]", "").replaceAll("\"[^\"]*\"", "");
        Matcher m = Pattern.compile("[a-z_][a-z0-9_]*").matcher(withoutLabels);
        while (m.find()) {
            String word = m.group();
            if (!withoutLabels.substring(m.end()).stripLeading().startsWith("(")
                    && !Set.of("and", "or", "unless", "on", "ignoring", "bool").contains(word)) {
                names.add(word);
            }
        }
        return names;
    }

    private static List<Panel> panels() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Panel> panels = new ArrayList<>();
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode dashboard = json.readTree(f.toFile());
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        String type = target.path("datasource").path("type").asText(panel.path("datasource").path("type").asText());
                        String query = type.equals("prometheus") ? target.path("expr").asText() : target.path("rawSql").asText();
                        assertFalse(query.isBlank(), f + ": panel " + panel.path("title").asText() + " has no query");
                        panels.add(new Panel(f.getFileName().toString(), panel.path("title").asText(), type, query));
                    }
                }
            }
        }
        assertEquals(2, panels.stream().map(Panel::dashboard).distinct().count(), "events.json and service.json");
        return panels;
    }
}
