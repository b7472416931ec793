package io.github.eventsstats.watch;

import io.github.eventsstats.github.FakeGitHub;
import io.github.eventsstats.github.FakeGitHub.Reply;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A repository's generated history, served as GitHub's REST lists serve it: pull requests merged,
 * closed and open (some merged weeks after they were opened), issues, comments by the author, by
 * bots and by others (issue comments and review comments), and bot-authored items. Each list is
 * the most recently updated first, 100 a page with Link headers, honours {@code since}, and
 * answers a first page whose ETag is sent back with a 304 while nothing changed. The truth is
 * kept as plain fields, for {@link LifecycleOracle}.
 */
public final class GeneratedHistory {

    private static final Pattern PAGE = Pattern.compile("[?&]page=(\\d+)");
    private static final Pattern PER_PAGE = Pattern.compile("[?&]per_page=(\\d+)");
    private static final Pattern SINCE = Pattern.compile("[?&]since=([^&]+)");

    record User(String login, boolean typeBot) {
        boolean bot() {
            return typeBot || login.endsWith("[bot]");
        }

        String json() {
            return "{\"login\":\"" + login + "\",\"id\":" + Math.abs(login.hashCode()) + ",\"type\":\""
                    + (typeBot ? "Bot" : "User") + "\"}";
        }
    }

    static final List<User> PEOPLE = List.of(new User("alice", false), new User("bob", false),
            new User("carol", false), new User("dave", false), new User("erin", false));
    /** Bots both ways: by type alone, by login alone, and both. */
    static final List<User> BOTS = List.of(new User("dependabot[bot]", true), new User("renovate-helper", true),
            new User("ci-runner[bot]", false));

    static final class Item {
        final int number;
        final boolean pull;
        final User author;
        final Instant createdAt;
        Instant closedAt;
        Instant mergedAt;
        Instant updatedAt;

        Item(int number, boolean pull, User author, Instant createdAt) {
            this.number = number;
            this.pull = pull;
            this.author = author;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    record Comment(long id, int number, boolean review, User author, Instant createdAt) {
    }

    public final String name;
    final List<Item> items = new ArrayList<>();
    final List<Comment> comments = new ArrayList<>();
    private final SplittableRandom random;
    private long nextCommentId;

    /**
     * {@code pulls} PRs and {@code issues} issues, numbered in creation order, created over the
     * {@code spanDays} before {@code now}.
     */
    public GeneratedHistory(String name, int pulls, int issues, int spanDays, Instant now, long seed) {
        this.name = name;
        this.random = new SplittableRandom(seed);
        this.nextCommentId = 1_000_000L + (seed & 0xFFFF) * 1000;
        int total = pulls + issues;
        List<Instant> created = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            created.add(now.minusSeconds(random.nextLong(spanDays * 86_400L)));
        }
        created.sort(Comparator.naturalOrder());
        List<Boolean> kinds = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            kinds.add(i < pulls);
        }
        for (int i = total - 1; i > 0; i--) { // shuffled: PRs and issues share the numbers
            int j = random.nextInt(i + 1);
            Boolean t = kinds.get(i);
            kinds.set(i, kinds.get(j));
            kinds.set(j, t);
        }
        for (int i = 0; i < total; i++) {
            User author = random.nextInt(10) == 0 ? BOTS.get(random.nextInt(BOTS.size()))
                    : PEOPLE.get(random.nextInt(PEOPLE.size()));
            Item item = new Item(i + 1, kinds.get(i), author, created.get(i));
            int fate = random.nextInt(10);
            // Minutes to weeks later, some past now (then still open).
            Instant end = item.createdAt.plusSeconds(600 + (random.nextInt(4) == 0 ? random.nextLong(40 * 86_400L)
                    : random.nextLong(3 * 86_400L)));
            if (end.isBefore(now)) {
                if (item.pull && fate < 5) {
                    item.mergedAt = end;
                    item.closedAt = end;
                } else if (fate < 8) {
                    item.closedAt = end;
                }
            }
            items.add(item);
            int n = random.nextInt(5);
            for (int c = 0; c < n; c++) {
                Instant at = item.createdAt.plusSeconds(30 + random.nextLong(5 * 86_400L));
                if (at.isAfter(now)) {
                    continue;
                }
                int who = random.nextInt(6);
                User by = who == 0 ? item.author : who == 1 ? BOTS.get(random.nextInt(BOTS.size()))
                        : PEOPLE.get(random.nextInt(PEOPLE.size()));
                comment(item, by, at, item.pull && random.nextBoolean());
            }
            touch(item);
        }
    }

    private void comment(Item item, User by, Instant at, boolean review) {
        comments.add(new Comment(nextCommentId++, item.number, review, by, at));
        item.updatedAt = at.isAfter(item.updatedAt) ? at : item.updatedAt;
    }

    private static void touch(Item item) {
        for (Instant t : new Instant[]{item.closedAt, item.mergedAt}) {
            if (t != null && t.isAfter(item.updatedAt)) {
                item.updatedAt = t;
            }
        }
    }

    /** The oldest open PR created between {@code after} and {@code before}, merged at {@code at}. */
    Item mergeOldestOpen(Instant after, Instant before, Instant at) {
        Item pr = items.stream().filter(i -> i.pull && i.closedAt == null && i.createdAt.isBefore(before)
                        && i.createdAt.isAfter(after) && !i.author.bot()).findFirst().orElseThrow();
        pr.mergedAt = at;
        pr.closedAt = at;
        pr.updatedAt = at;
        return pr;
    }

    /**
     * An issue transferred in from another repository at {@code at}: the next number, its
     * creation {@code created} kept, so possibly before every other item.
     */
    Item transferIssue(Instant created, Instant at) {
        Item issue = new Item(items.size() + 1, false, PEOPLE.getFirst(), created);
        issue.updatedAt = at;
        items.add(issue);
        return issue;
    }

    /** A comment by someone else on an unanswered item, at {@code at}. */
    Item answerOne(Instant at) {
        Item item = items.stream().filter(i -> !i.author.bot() && comments.stream().noneMatch(c -> c.number() == i.number))
                .findFirst().orElseThrow();
        User other = PEOPLE.stream().filter(p -> !p.equals(item.author)).findFirst().orElseThrow();
        comment(item, other, at, false);
        return item;
    }

    String itemJson(Item i, boolean asIssue) {
        StringBuilder b = new StringBuilder("{\"id\":").append(i.number * 31L).append(",\"number\":").append(i.number)
                .append(",\"state\":\"").append(i.closedAt == null ? "open" : "closed").append("\",\"user\":")
                .append(i.author.json()).append(",\"created_at\":\"").append(i.createdAt)
                .append("\",\"updated_at\":\"").append(i.updatedAt).append("\",\"closed_at\":")
                .append(quoted(i.closedAt));
        if (!asIssue) {
            b.append(",\"merged_at\":").append(quoted(i.mergedAt)).append(",\"base\":{\"repo\":{\"full_name\":\"")
                    .append(name).append("\"}}");
        } else if (i.pull) {
            b.append(",\"pull_request\":{\"url\":\"https://api.github.com/repos/").append(name).append("/pulls/")
                    .append(i.number).append("\",\"merged_at\":").append(quoted(i.mergedAt)).append("}");
        }
        return b.append("}").toString();
    }

    String commentJson(Comment c) {
        String item = c.review() ? "\"pull_request_url\":\"https://api.github.com/repos/" + name + "/pulls/" + c.number()
                : "\"issue_url\":\"https://api.github.com/repos/" + name + "/issues/" + c.number();
        return "{\"id\":" + c.id() + "," + item + "\",\"user\":" + c.author().json() + ",\"created_at\":\""
                + c.createdAt() + "\",\"updated_at\":\"" + c.createdAt() + "\",\"body\":\"ok\"}";
    }

    private static String quoted(Instant t) {
        return t == null ? "null" : "\"" + t + "\"";
    }

    public void serve(FakeGitHub fake) {
        String base = "/repos/" + name;
        // A quiet feed, as GitHub serves one: an ETag, then a free 304 while nothing happens.
        fake.route(base + "/events", r -> "\"quiet\"".equals(r.ifNoneMatch()) ? FakeGitHub.notModified()
                : FakeGitHub.ok("[]").header("ETag", "\"quiet\"").header("X-Poll-Interval", "60"));
        fake.route(base + "/pulls", r -> list(r, base + "/pulls", items.stream().filter(i -> i.pull).toList(),
                i -> i.updatedAt, i -> itemJson(i, false)));
        fake.route(base + "/issues", r -> list(r, base + "/issues", items, i -> i.updatedAt, i -> itemJson(i, true)));
        fake.route(base + "/issues/comments", r -> list(r, base + "/issues/comments",
                comments.stream().filter(c -> !c.review()).toList(), Comment::createdAt, this::commentJson));
        fake.route(base + "/pulls/comments", r -> list(r, base + "/pulls/comments",
                comments.stream().filter(Comment::review).toList(), Comment::createdAt, this::commentJson));
    }

    /**
     * Served as by {@link #serve}, but every answer of the issues list is held until
     * {@link FakeGitHub#release()}: a first load caught after its pulls list, half way.
     */
    public void serveHoldingIssues(FakeGitHub fake) {
        serve(fake);
        String base = "/repos/" + name;
        fake.route(base + "/issues", r -> list(r, base + "/issues", items, i -> i.updatedAt, i -> itemJson(i, true)).held());
    }

    /** One page of a list, the most recently updated first, from {@code since} if asked. */
    private static <T> Reply list(FakeGitHub.Request request, String path, List<T> all, Function<T, Instant> updated,
                                  Function<T, String> json) {
        String uri = request.uri();
        Matcher s = SINCE.matcher(uri);
        Instant since = s.find() ? Instant.parse(URLDecoder.decode(s.group(1), StandardCharsets.UTF_8)) : null;
        List<T> items = all.stream().filter(t -> since == null || !updated.apply(t).isBefore(since))
                .sorted(Comparator.comparing(updated).reversed()).toList();
        int page = number(PAGE, uri, 1);
        int perPage = number(PER_PAGE, uri, 30);
        int from = Math.min(items.size(), (page - 1) * perPage);
        int to = Math.min(items.size(), from + perPage);
        String body = "[" + String.join(",", items.subList(from, to).stream().map(json).toList()) + "]";
        String tag = "\"" + Integer.toHexString(body.hashCode()) + "\"";
        if (page == 1 && tag.equals(request.ifNoneMatch())) {
            return FakeGitHub.notModified();
        }
        Reply reply = FakeGitHub.ok(body).header("ETag", tag);
        if (to < items.size()) {
            String query = uri.substring(uri.indexOf('?') + 1).replaceAll("(^|&)page=\\d+", "");
            reply = reply.header("Link", "<{base}" + path + "?" + query + "&page=" + (page + 1) + ">; rel=\"next\"");
        }
        return reply;
    }

    private static int number(Pattern p, String uri, int otherwise) {
        Matcher m = p.matcher(uri);
        return m.find() ? Integer.parseInt(m.group(1)) : otherwise;
    }
}
