package io.github.eventsstats.enrich;

import io.github.eventsstats.github.FakeGitHub;
import io.github.eventsstats.github.FakeGitHub.Reply;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * GitHub's {@code GET /users/{login}} and {@code GET /repos/{owner}/{repo}} on {@link FakeGitHub}:
 * the profiles a test puts here, each with an ETag that changes with its body (a matching
 * If-None-Match gets a 304), a 404 for any other name, and, while {@link #failWith} is set, that
 * answer for every profile.
 */
final class FakeProfiles {

    private final Map<String, String> users = new ConcurrentHashMap<>();
    private final Map<String, String> repos = new ConcurrentHashMap<>();
    private volatile Function<FakeGitHub.Request, Reply> failure;

    FakeProfiles(FakeGitHub fake) {
        fake.route("/users/", r -> answer(r, users, "/users/"));
        fake.route("/repos/", r -> answer(r, repos, "/repos/"));
    }

    void user(String login, String name, String location, long followers) {
        users.put(login, """
                {"login":"%s","id":%d,"node_id":"x","type":"User","name":"%s","company":"@acme","blog":"https://%s.dev",
                 "location":%s,"email":null,"bio":null,"public_repos":12,"followers":%d,"following":3,
                 "created_at":"2015-03-04T05:06:07Z","updated_at":"2026-11-01T00:00:00Z"}"""
                .formatted(login, Math.abs(login.hashCode()), name, login,
                        location == null ? "null" : "\"" + location + "\"", followers));
    }

    void repo(String name, String language, long stars) {
        repos.put(name, """
                {"id":%d,"name":"%s","full_name":"%s","private":false,"description":"the %s project",
                 "language":%s,"topics":["cli","stats"],"stargazers_count":%d,"watchers_count":%d,"forks_count":7,
                 "license":{"key":"mit","name":"MIT License","spdx_id":"MIT"},"archived":false,
                 "created_at":"2019-01-02T03:04:05Z","pushed_at":"2026-11-30T00:00:00Z"}"""
                .formatted(Math.abs(name.hashCode()), name.substring(name.indexOf('/') + 1), name, name,
                        language == null ? "null" : "\"" + language + "\"", stars, stars));
    }

    /** Every profile request gets {@code answer} until {@link #recover()}. */
    void failWith(Function<FakeGitHub.Request, Reply> answer) {
        failure = answer;
    }

    void recover() {
        failure = null;
    }

    private Reply answer(FakeGitHub.Request request, Map<String, String> profiles, String prefix) {
        Function<FakeGitHub.Request, Reply> failing = failure;
        if (failing != null) {
            return failing.apply(request);
        }
        String key = URLDecoder.decode(URI.create(request.uri()).getRawPath().substring(prefix.length()),
                StandardCharsets.UTF_8);
        String body = profiles.get(key);
        if (body == null) {
            return FakeGitHub.status(404, "{\"message\":\"Not Found\",\"status\":\"404\"}");
        }
        String etag = "W/\"" + Integer.toHexString(body.hashCode()) + "\"";
        if (etag.equals(request.ifNoneMatch())) {
            return new Reply(304, "", Map.of("ETag", etag));
        }
        return new Reply(200, body, Map.of("ETag", etag, "Content-Type", "application/json"));
    }
}
