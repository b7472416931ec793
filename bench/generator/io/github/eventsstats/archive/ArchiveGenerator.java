package io.github.eventsstats.archive;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Writes GH-Archive-shaped files: one event JSON per line, as {@code https://data.gharchive.org}
 * serves them ({@code YYYY-MM-DD-H.json.gz}, one gzip member) and as the Events API returns them.
 *
 * <p><b>Shape.</b> Every event has {@code id} (a string, see <b>Ids</b>), {@code type},
 * {@code actor} {id, login, display_login, gravatar_id, url, avatar_url}, {@code repo} {id, name,
 * url}, {@code payload}, {@code public}, {@code created_at} (within the hour, non-decreasing) and,
 * for one event in three, {@code org}. Payloads follow each type's real structure, in reduced form:
 * PushEvent carries 1-4 commits with messages; PullRequestEvent a {@code pull_request} with
 * {@code user}, {@code head}/{@code base} each holding a full {@code repo} object (which is why
 * real PR events are the biggest, ~10 KB here); IssuesEvent / IssueCommentEvent an {@code issue}
 * with {@code user} and {@code labels}, plus a {@code comment}; and so on. Texts mix ASCII with
 * escapes ({@code \n}, quotes) and multi-byte UTF-8 (accents, CJK, emoji), as real bodies do.
 *
 * <p><b>Proportions</b> (percent of events), rounded from GH Archive hours of 2023-2024 (the
 * per-type counts GH Archive's BigQuery tables give for a typical weekday hour): PushEvent 50,
 * CreateEvent 13, PullRequestEvent 7, WatchEvent 8, IssueCommentEvent 6, DeleteEvent 3.5,
 * PullRequestReviewEvent 3, IssuesEvent 3, PullRequestReviewCommentEvent 2.5, ForkEvent 2,
 * ReleaseEvent 0.7, CommitCommentEvent 0.3, GollumEvent 0.3, MemberEvent 0.3, PublicEvent 0.4.
 * So the three stored types are ~18% of the traffic, as in reality. Actions: PullRequestEvent
 * opened 40 / closed 45 / reopened 2 / synchronize 8 / labeled 5; IssuesEvent opened 50 / closed
 * 44 / reopened 4 / labeled 2; WatchEvent always started.
 *
 * <p><b>Ids</b> are not ordered by time, as GitHub's are not (its types draw ids from different
 * ranges): each type counts up in a range of its own from {@code firstId}, so an event often has a
 * smaller id than the one before it. All ids are unique and at most {@link #maxId()}.
 *
 * <p><b>Sizes</b>: the mix averages ~2.5 KB per event uncompressed (PushEvent ~1.5 KB, PR ~10 KB,
 * WatchEvent ~0.6 KB), about what real hours weigh; gzip at the default level, like GH Archive.
 * Repositories are drawn from a skewed (Zipf-like) distribution over 50,000 names, actors over
 * 200,000, so a few repositories get many events.
 *
 * <pre>
 *   ArchiveGenerator --out FILE [--events N] [--seed S] [--hour 2024-01-15T15] [--first-id ID]
 * </pre>
 */
public final class ArchiveGenerator {

    static final String[] TYPES = {"PushEvent", "CreateEvent", "PullRequestEvent", "WatchEvent", "IssueCommentEvent",
            "DeleteEvent", "PullRequestReviewEvent", "IssuesEvent", "PullRequestReviewCommentEvent", "ForkEvent",
            "ReleaseEvent", "CommitCommentEvent", "GollumEvent", "MemberEvent", "PublicEvent"};
    /** Per mille, in the order of {@link #TYPES}; sums to 1000. */
    static final int[] PER_MILLE = {500, 130, 70, 80, 60, 35, 30, 30, 25, 20, 7, 3, 3, 3, 4};
    private static final String[] PR_ACTIONS = {"opened", "closed", "reopened", "synchronize", "labeled"};
    private static final int[] PR_ACTION_PCT = {40, 45, 2, 8, 5};
    private static final String[] ISSUE_ACTIONS = {"opened", "closed", "reopened", "labeled"};
    private static final int[] ISSUE_ACTION_PCT = {50, 44, 4, 2};
    private static final String[] WORDS = {"fix", "add", "update", "refactor", "the", "parser", "tests", "docs",
            "build", "bump", "dependency", "from", "to", "version", "release", "handle", "error", "when", "config",
            "is", "missing", "café", "naïve", "日本語", "テスト", "修正", "🚀", "✨", "Ünïcödé", "\\\"quoted\\\"",
            "line\\nbreak", "path/to/file.java", "README.md", "#1234", "@octocat"};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    /** One generated event, with what the tests check against. */
    public record Event(long id, String type, String action, String repo, Instant createdAt, String json) {
    }

    private final SplittableRandom random;
    private final Instant hour;
    private final int total;
    private final String owners;
    private final long firstId;
    /** Per type, in the order of {@link #TYPES}: the next id of its range. */
    private final long[] nextId = new long[TYPES.length];
    private int index;

    /** @param owners prefix of the repository owners' names, so that tests get repositories of their own */
    public ArchiveGenerator(long seed, Instant hour, long firstId, int total, String owners) {
        this.owners = owners;
        this.random = new SplittableRandom(seed);
        this.hour = hour;
        this.firstId = firstId;
        this.total = total;
        for (int t = 0; t < TYPES.length; t++) {
            nextId[t] = firstId + t * range();
        }
    }

    /** The width of a type's id range: room for every event to be of that type, each 1-3 above the last. */
    private long range() {
        return 3L * total + 1;
    }

    /** The largest id this generator can make (the smallest is {@code firstId}). */
    public long maxId() {
        return firstId + TYPES.length * range() - 1;
    }

    public boolean hasNext() {
        return index < total;
    }

    public Event next() {
        String type = pick(TYPES, PER_MILLE, 1000);
        int t = java.util.Arrays.asList(TYPES).indexOf(type);
        long id = nextId[t];
        nextId[t] += 1 + random.nextInt(3);
        // Spread over the hour in order, as an hour file is.
        Instant at = hour.plusSeconds(3600L * index / Math.max(1, total));
        index++;
        int repoNo = zipf(50_000);
        String owner = owners + (repoNo % 9_000);
        String repo = owner + "/project-" + repoNo;
        String action = switch (type) {
            case "PullRequestEvent" -> pick(PR_ACTIONS, PR_ACTION_PCT, 100);
            case "IssuesEvent" -> pick(ISSUE_ACTIONS, ISSUE_ACTION_PCT, 100);
            case "WatchEvent" -> "started";
            default -> "";
        };
        int actorNo = zipf(200_000);
        StringBuilder b = new StringBuilder(4096);
        b.append("{\"id\":\"").append(id).append("\",\"type\":\"").append(type).append("\",\"actor\":");
        user(b, actorNo, true);
        b.append(",\"repo\":{\"id\":").append(100_000 + repoNo).append(",\"name\":\"").append(repo)
                .append("\",\"url\":\"https://api.github.com/repos/").append(repo).append("\"},\"payload\":");
        payload(b, id, type, action, repo, repoNo, at);
        b.append(",\"public\":true,\"created_at\":\"").append(TIME.format(at)).append('"');
        if (repoNo % 3 == 0) {
            b.append(",\"org\":{\"id\":").append(5_000 + repoNo % 9_000).append(",\"login\":\"").append(owner)
                    .append("\",\"gravatar_id\":\"\",\"url\":\"https://api.github.com/orgs/").append(owner)
                    .append("\",\"avatar_url\":\"https://avatars.githubusercontent.com/u/").append(5_000 + repoNo % 9_000)
                    .append("?\"}");
        }
        b.append('}');
        return new Event(id, type, action, repo, at, b.toString());
    }

    private void payload(StringBuilder b, long id, String type, String action, String repo, int repoNo, Instant at) {
        switch (type) {
            case "PushEvent" -> {
                int commits = 1 + random.nextInt(4);
                b.append("{\"repository_id\":").append(100_000 + repoNo).append(",\"push_id\":")
                        .append(random.nextLong(10_000_000_000L, 20_000_000_000L)).append(",\"size\":").append(commits)
                        .append(",\"distinct_size\":").append(commits).append(",\"ref\":\"refs/heads/main\",\"head\":\"")
                        .append(sha()).append("\",\"before\":\"").append(sha()).append("\",\"commits\":[");
                for (int i = 0; i < commits; i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    b.append("{\"sha\":\"").append(sha()).append("\",\"author\":{\"email\":\"dev").append(random.nextInt(99_999))
                            .append("@users.noreply.github.com\",\"name\":\"Dev ").append(random.nextInt(99_999))
                            .append("\"},\"message\":\"");
                    text(b, 20 + random.nextInt(80));
                    b.append("\",\"distinct\":true,\"url\":\"https://api.github.com/repos/").append(repo)
                            .append("/commits/").append(sha()).append("\"}");
                }
                b.append("]}");
            }
            case "PullRequestEvent" -> {
                // A PR is its repository and number: each event its own PR (from its unique id), so
                // that no two generated openings are one PR counted once.
                long number = 1 + id % 2_000_000_000L;
                b.append("{\"action\":\"").append(action).append("\",\"number\":").append(number)
                        .append(",\"pull_request\":");
                pullRequest(b, repo, repoNo, at, number);
                b.append('}');
            }
            case "IssuesEvent" -> {
                b.append("{\"action\":\"").append(action).append("\",\"issue\":");
                issue(b, repo, at, 40 + random.nextInt(120));
                b.append('}');
            }
            case "IssueCommentEvent" -> {
                b.append("{\"action\":\"created\",\"issue\":");
                issue(b, repo, at, 20 + random.nextInt(60));
                b.append(",\"comment\":");
                comment(b, repo, at, 20 + random.nextInt(80));
                b.append('}');
            }
            case "PullRequestReviewEvent", "PullRequestReviewCommentEvent" -> {
                b.append("{\"action\":\"created\",\"");
                b.append(type.equals("PullRequestReviewEvent") ? "review" : "comment").append("\":");
                comment(b, repo, at, 10 + random.nextInt(60));
                b.append(",\"pull_request\":");
                pullRequest(b, repo, repoNo, at, 1 + random.nextInt(40_000));
                b.append('}');
            }
            case "CreateEvent", "DeleteEvent" -> {
                b.append("{\"ref\":\"feature/").append(random.nextInt(100_000)).append("\",\"ref_type\":\"branch\",")
                        .append("\"master_branch\":\"main\",\"description\":\"");
                text(b, 4 + random.nextInt(20));
                b.append("\",\"pusher_type\":\"user\"}");
            }
            case "ForkEvent" -> {
                b.append("{\"forkee\":");
                repository(b, "forker" + random.nextInt(200_000) + "/project-" + repoNo, 900_000 + random.nextInt(99_999), at);
                b.append('}');
            }
            case "ReleaseEvent" -> {
                b.append("{\"action\":\"published\",\"release\":{\"tag_name\":\"v").append(random.nextInt(10)).append('.')
                        .append(random.nextInt(50)).append("\",\"name\":\"Release\",\"body\":\"");
                text(b, 100 + random.nextInt(300));
                b.append("\",\"author\":");
                user(b, zipf(200_000), false);
                b.append(",\"draft\":false,\"prerelease\":false}}");
            }
            default -> { // WatchEvent, CommitCommentEvent, GollumEvent, MemberEvent, PublicEvent
                b.append(action.isEmpty() ? "{" : "{\"action\":\"" + action + "\"");
                if (!type.equals("WatchEvent") && !type.equals("PublicEvent")) {
                    b.append("\"note\":\"");
                    text(b, 10 + random.nextInt(30));
                    b.append('"');
                }
                b.append('}');
            }
        }
    }

    private void pullRequest(StringBuilder b, String repo, int repoNo, Instant at, long number) {
        b.append("{\"url\":\"https://api.github.com/repos/").append(repo).append("/pulls/").append(number)
                .append("\",\"id\":").append(random.nextLong(1_000_000_000L, 2_000_000_000L))
                .append(",\"number\":").append(number).append(",\"state\":\"open\",\"locked\":false,\"title\":\"");
        text(b, 4 + random.nextInt(10));
        b.append("\",\"user\":");
        user(b, zipf(200_000), false);
        b.append(",\"body\":\"");
        text(b, 60 + random.nextInt(250));
        b.append("\",\"created_at\":\"").append(TIME.format(at)).append("\",\"updated_at\":\"").append(TIME.format(at))
                .append("\",\"closed_at\":null,\"merged_at\":null,\"merge_commit_sha\":\"").append(sha())
                .append("\",\"draft\":false,\"head\":{\"label\":\"x:feature\",\"ref\":\"feature\",\"sha\":\"").append(sha())
                .append("\",\"repo\":");
        repository(b, repo, 100_000 + repoNo, at);
        b.append("},\"base\":{\"label\":\"x:main\",\"ref\":\"main\",\"sha\":\"").append(sha()).append("\",\"repo\":");
        repository(b, repo, 100_000 + repoNo, at);
        b.append("},\"author_association\":\"CONTRIBUTOR\",\"merged\":false,\"comments\":").append(random.nextInt(20))
                .append(",\"commits\":").append(1 + random.nextInt(9)).append(",\"additions\":").append(random.nextInt(900))
                .append(",\"deletions\":").append(random.nextInt(400)).append(",\"changed_files\":")
                .append(1 + random.nextInt(30)).append('}');
    }

    private void repository(StringBuilder b, String name, int id, Instant at) {
        String api = "https://api.github.com/repos/" + name;
        b.append("{\"id\":").append(id).append(",\"node_id\":\"R_kgDO").append(Long.toString(id, 36))
                .append("\",\"name\":\"").append(name.substring(name.indexOf('/') + 1)).append("\",\"full_name\":\"")
                .append(name).append("\",\"private\":false,\"owner\":");
        user(b, id % 200_000, false);
        b.append(",\"html_url\":\"https://github.com/").append(name).append("\",\"description\":\"");
        text(b, 5 + random.nextInt(15));
        b.append("\",\"fork\":false,\"url\":\"").append(api).append('"');
        for (String rel : new String[] {"forks", "keys", "collaborators", "teams", "hooks", "events", "branches",
                "tags", "languages", "stargazers", "contributors", "subscribers", "commits", "pulls", "issues"}) {
            b.append(",\"").append(rel).append("_url\":\"").append(api).append('/').append(rel).append('"');
        }
        b.append(",\"created_at\":\"2019-05-04T03:02:01Z\",\"updated_at\":\"").append(TIME.format(at))
                .append("\",\"size\":").append(random.nextInt(100_000)).append(",\"stargazers_count\":")
                .append(random.nextInt(5_000)).append(",\"language\":\"Java\",\"forks_count\":").append(random.nextInt(900))
                .append(",\"open_issues_count\":").append(random.nextInt(300)).append(",\"default_branch\":\"main\"}");
    }

    private void issue(StringBuilder b, String repo, Instant at, int words) {
        int number = 1 + random.nextInt(40_000);
        b.append("{\"url\":\"https://api.github.com/repos/").append(repo).append("/issues/").append(number)
                .append("\",\"repository_url\":\"https://api.github.com/repos/").append(repo)
                .append("\",\"id\":").append(random.nextLong(1_000_000_000L, 3_000_000_000L))
                .append(",\"number\":").append(number).append(",\"title\":\"");
        text(b, 4 + random.nextInt(10));
        b.append("\",\"user\":");
        user(b, zipf(200_000), false);
        b.append(",\"labels\":[{\"id\":").append(random.nextInt(1_000_000))
                .append(",\"name\":\"bug\",\"color\":\"d73a4a\",\"default\":true}],\"state\":\"open\",\"locked\":false,")
                .append("\"comments\":").append(random.nextInt(30)).append(",\"created_at\":\"").append(TIME.format(at))
                .append("\",\"updated_at\":\"").append(TIME.format(at))
                .append("\",\"closed_at\":null,\"author_association\":\"NONE\",\"body\":\"");
        text(b, words);
        b.append("\",\"reactions\":{\"total_count\":0,\"+1\":0,\"-1\":0,\"laugh\":0,\"hooray\":0,\"confused\":0,")
                .append("\"heart\":0,\"rocket\":0,\"eyes\":0}}");
    }

    private void comment(StringBuilder b, String repo, Instant at, int words) {
        long id = random.nextLong(1_000_000_000L, 3_000_000_000L);
        b.append("{\"url\":\"https://api.github.com/repos/").append(repo).append("/issues/comments/").append(id)
                .append("\",\"id\":").append(id).append(",\"user\":");
        user(b, zipf(200_000), false);
        b.append(",\"created_at\":\"").append(TIME.format(at)).append("\",\"updated_at\":\"").append(TIME.format(at))
                .append("\",\"author_association\":\"MEMBER\",\"body\":\"");
        text(b, words);
        b.append("\"}");
    }

    private void user(StringBuilder b, int no, boolean actor) {
        String login = "user-" + no;
        b.append("{\"id\":").append(1_000 + no).append(",\"login\":\"").append(login).append('"');
        if (actor) {
            b.append(",\"display_login\":\"").append(login).append('"');
        }
        b.append(",\"gravatar_id\":\"\",\"url\":\"https://api.github.com/users/").append(login)
                .append("\",\"avatar_url\":\"https://avatars.githubusercontent.com/u/").append(1_000 + no).append("?\"");
        if (!actor) {
            b.append(",\"type\":\"User\",\"site_admin\":false");
        }
        b.append('}');
    }

    private void text(StringBuilder b, int words) {
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(WORDS[random.nextInt(WORDS.length)]);
        }
    }

    private String sha() {
        return Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE)
                + Integer.toHexString(random.nextInt() | Integer.MIN_VALUE);
    }

    private String pick(String[] values, int[] weights, int sum) {
        int r = random.nextInt(sum);
        for (int i = 0; i < values.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    /** Skewed choice in [0, n): small numbers much more often. */
    private int zipf(int n) {
        return (int) Math.min(n - 1, Math.floor(Math.pow(n, random.nextDouble())) - 1);
    }

    /** Counts per type, and per type and action ("PullRequestEvent/opened"), of what was written. */
    public record Manifest(int events, long bytes, Map<String, Long> byType, Map<String, Long> byTypeAction,
                           List<Event> kept) {
    }

    /**
     * Writes {@code events} events to {@code file} (gzip when the name ends in .gz) and returns what
     * it wrote; {@code kept} lists the events of the stored types, for tests.
     */
    public static Manifest write(Path file, int events, long seed, Instant hour, long firstId, String owners)
            throws IOException {
        ArchiveGenerator g = new ArchiveGenerator(seed, hour, firstId, events, owners);
        Map<String, Long> byType = new TreeMap<>();
        Map<String, Long> byTypeAction = new TreeMap<>();
        List<Event> kept = new ArrayList<>();
        long bytes = 0;
        OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        if (file.getFileName().toString().endsWith(".gz")) {
            raw = new GZIPOutputStream(raw, 1 << 16);
        }
        try (Writer w = new OutputStreamWriter(raw, StandardCharsets.UTF_8)) {
            while (g.hasNext()) {
                Event e = g.next();
                w.write(e.json());
                w.write('\n');
                bytes += e.json().length() + 1; // characters; a few multi-byte ones make bytes slightly more
                byType.merge(e.type(), 1L, Long::sum);
                byTypeAction.merge(e.type() + "/" + e.action(), 1L, Long::sum);
                if (e.type().equals("WatchEvent") || e.type().equals("PullRequestEvent") || e.type().equals("IssuesEvent")) {
                    kept.add(new Event(e.id(), e.type(), e.action(), e.repo(), e.createdAt(), null));
                }
            }
        }
        return new Manifest(events, bytes, byType, byTypeAction, kept);
    }

    public static void main(String[] args) throws IOException {
        Path out = null;
        int events = 200_000;
        long seed = 42;
        Instant hour = Instant.parse("2024-01-15T15:00:00Z");
        long firstId = 35_000_000_000L;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--hour" -> hour = Instant.parse(args[++i] + ":00:00Z");
                case "--first-id" -> firstId = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("usage: ArchiveGenerator --out FILE [--events N] [--seed S]"
                    + " [--hour 2024-01-15T15] [--first-id ID]");
        }
        Manifest m = write(out, events, seed, hour, firstId, "owner");
        long size = Files.size(out);
        System.out.printf("wrote %s: %,d events, %,d bytes (%,d uncompressed, %,d per event); by type %s%n", out,
                m.events(), size, m.bytes(), m.bytes() / Math.max(1, m.events()), m.byType());
    }
}
