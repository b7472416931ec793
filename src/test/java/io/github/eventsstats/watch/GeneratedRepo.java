package io.github.eventsstats.watch;

import io.github.eventsstats.github.FakeGitHub;
import io.github.eventsstats.github.FakeGitHub.Reply;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A repository's generated history, served as GitHub would: {@code prs} pull requests (numbers 1..n,
 * opened at random gaps), one PullRequestEvent "opened" each; its events feed shows only the newest
 * 300 of them, its pulls list all of them, newest first, 100 a page with Link headers and ETags.
 */
final class GeneratedRepo {

    private static final Pattern PAGE = Pattern.compile("[?&]page=(\\d+)");
    private static final Pattern PER_PAGE = Pattern.compile("[?&]per_page=(\\d+)");

    record Pr(int number, long eventId, Instant createdAt) {
    }

    final String name;
    final List<Pr> prs = new ArrayList<>(); // oldest first

    GeneratedRepo(String name, int count, Instant last, long firstEventId, long seed) {
        this.name = name;
        SplittableRandom random = new SplittableRandom(seed);
        Instant at = last;
        List<Pr> newestFirst = new ArrayList<>();
        for (int n = count; n >= 1; n--) {
            newestFirst.add(new Pr(n, firstEventId + n, at));
            at = at.minus(Duration.ofSeconds(60 + random.nextInt(7200)));
        }
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            prs.add(newestFirst.get(i));
        }
    }

    /** Adds one more PR, opened {@code after} the newest. */
    Pr open(Duration after) {
        Pr last = prs.getLast();
        Pr next = new Pr(last.number() + 1, last.eventId() + 1, last.createdAt().plus(after));
        prs.add(next);
        return next;
    }

    /** The true mean gap between opened PRs. */
    double averageSeconds() {
        return (double) Duration.between(prs.getFirst().createdAt(), prs.getLast().createdAt()).toSeconds() / (prs.size() - 1);
    }

    String event(Pr pr) {
        return "{\"id\":\"" + pr.eventId() + "\",\"type\":\"PullRequestEvent\",\"actor\":{\"id\":7,\"login\":\"dev\"},"
                + "\"repo\":{\"id\":9,\"name\":\"" + name + "\"},\"payload\":{\"action\":\"opened\",\"number\":"
                + pr.number() + ",\"pull_request\":{\"number\":" + pr.number() + "}},\"public\":true,\"created_at\":\""
                + pr.createdAt() + "\"}";
    }

    String pull(Pr pr) {
        return "{\"id\":" + (pr.eventId() * 7) + ",\"number\":" + pr.number() + ",\"state\":\"open\",\"user\":"
                + "{\"id\":7,\"login\":\"dev\"},\"created_at\":\"" + pr.createdAt() + "\",\"merged_at\":null}";
    }

    /** The events feed: the newest 300 events, paged. */
    Reply events(FakeGitHub.Request request) {
        List<Pr> newest = prs.reversed().subList(0, Math.min(300, prs.size()));
        return paged(request, newest, this::event, "/repos/" + name + "/events", "ev-" + prs.size());
    }

    /** The pulls list: every PR, newest first, paged. */
    Reply pulls(FakeGitHub.Request request) {
        return paged(request, prs.reversed(), this::pull, "/repos/" + name + "/pulls", "pl-" + prs.size());
    }

    /** An empty list (no issues, no comments), with an ETag: asked again, a 304. */
    static Reply none(FakeGitHub.Request request) {
        return "\"none\"".equals(request.ifNoneMatch()) ? FakeGitHub.notModified()
                : FakeGitHub.ok("[]").header("ETag", "\"none\"");
    }

    /** Every {@code nth} event, newest first: what one firehose poller happens to see. */
    String sample(Predicate<Pr> seen) {
        return "[" + String.join(",", prs.reversed().stream().filter(seen).limit(100).map(this::event).toList()) + "]";
    }

    private Reply paged(FakeGitHub.Request request, List<Pr> items, java.util.function.Function<Pr, String> json,
                        String path, String etag) {
        int page = number(PAGE, request.uri(), 1);
        int perPage = number(PER_PAGE, request.uri(), 30);
        String tag = "\"" + etag + "-" + perPage + "\"";
        if (page == 1 && tag.equals(request.ifNoneMatch())) {
            return FakeGitHub.notModified();
        }
        int from = Math.min(items.size(), (page - 1) * perPage);
        int to = Math.min(items.size(), from + perPage);
        Reply reply = FakeGitHub.ok("[" + String.join(",", items.subList(from, to).stream().map(json).toList()) + "]")
                .header("ETag", tag);
        if (to < items.size()) {
            String query = request.uri().substring(request.uri().indexOf('?') + 1).replaceAll("(^|&)page=\\d+", "");
            reply = reply.header("Link", "<{base}" + path + "?" + query + "&page=" + (page + 1) + ">; rel=\"next\"");
        }
        return reply;
    }

    private static int number(Pattern p, String uri, int otherwise) {
        Matcher m = p.matcher(uri);
        return m.find() ? Integer.parseInt(m.group(1)) : otherwise;
    }
}
