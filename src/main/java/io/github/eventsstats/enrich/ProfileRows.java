package io.github.eventsstats.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * GitHub's profile answers as rows of actor_profiles / repo_profiles (JSONEachRow objects): the
 * fields kept, with empty strings and zeros for what GitHub leaves null, and an actor's location
 * told as a country. Nothing here does I/O.
 */
final class ProfileRows {

    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private ProfileRows() {
    }

    /** A 200 of {@code GET /users/{login}}; the login is the one asked for (the key events carry). */
    static ObjectNode actor(String login, JsonNode user, LocationResolver places) {
        requireObject(user);
        String location = text(user, "location");
        ObjectNode row = JsonNodeFactory.instance.objectNode()
                .put("login", login)
                .put("actor_id", number(user, "id"))
                .put("name", text(user, "name"))
                .put("company", text(user, "company"))
                .put("location", location)
                .put("blog", text(user, "blog"))
                .put("followers", number(user, "followers"))
                .put("public_repos", number(user, "public_repos"));
        String country = places.country(location);
        row.put("country_code", country == null ? "" : country);
        return row.set("created_at", time(user, "created_at"));
    }

    /** A 200 of {@code GET /repos/{owner}/{repo}}; the name is the one asked for. */
    static ObjectNode repository(String name, JsonNode repo) {
        requireObject(repo);
        ObjectNode row = JsonNodeFactory.instance.objectNode()
                .put("repo_name", name)
                .put("repo_id", number(repo, "id"))
                .put("description", text(repo, "description"))
                .put("language", text(repo, "language"))
                .put("stars", number(repo, "stargazers_count"))
                .put("forks", number(repo, "forks_count"))
                .put("license", text(repo.path("license"), "spdx_id"))
                .put("archived", repo.path("archived").asBoolean(false) ? 1 : 0);
        var topics = row.putArray("topics");
        repo.path("topics").forEach(t -> {
            if (t.isTextual()) {
                topics.add(t.asText());
            }
        });
        return row.set("created_at", time(repo, "created_at"));
    }

    /** A row without data: what GitHub said instead of a profile. */
    static ObjectNode without(Kind kind, String key) {
        return JsonNodeFactory.instance.objectNode().put(kind.key, key);
    }

    /** Stamps a row with its status, ETag and times ({@code fetchedAt} null: the check brought no data). */
    static ObjectNode stamped(ObjectNode row, ProfileStatus status, String etag, Instant fetchedAt, Instant checkedAt) {
        return row.put("status", status.tag()).put("etag", etag == null ? "" : etag)
                .put("fetched_at", MILLIS.format(fetchedAt == null ? Instant.EPOCH : fetchedAt))
                .put("checked_at", MILLIS.format(checkedAt));
    }

    /** The row as ClickHouse parses DateTime64(3) text. */
    static String millis(Instant t) {
        return MILLIS.format(t);
    }

    private static void requireObject(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText().strip() : "";
    }

    /** A count or id; GitHub's are non-negative and fit their columns, anything else is 0. */
    private static long number(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.canConvertToLong() && v.asLong() >= 0 ? v.asLong() : 0;
    }

    private static JsonNode time(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (v.isTextual()) {
            try {
                Instant t = Instant.parse(v.asText());
                if (!t.isBefore(Instant.EPOCH) && t.isBefore(Instant.parse("2106-01-01T00:00:00Z"))) {
                    return JsonNodeFactory.instance.textNode(SECONDS.format(t));
                }
            } catch (DateTimeParseException e) {
                // not a time: kept as unknown
            }
        }
        return JsonNodeFactory.instance.nullNode();
    }
}
