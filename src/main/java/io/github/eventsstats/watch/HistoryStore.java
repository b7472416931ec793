package io.github.eventsstats.watch;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.clickhouse.DataChanges;
import io.github.eventsstats.clickhouse.RowBinary;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * `lifecycle_items` and `lifecycle_comments` (clickhouse/V030): a repository's pull requests,
 * issues and the comments on them, as its history lists give them. A row fetched again replaces
 * the earlier one (items by updated_at, comments by fetched_at). After each write the facts of
 * the items it touched are kept again in `lifecycle_facts` (V032), which answers read. Calls block.
 */
@ApplicationScoped
public class HistoryStore {

    private static final List<String> ITEM_COLUMNS = List.of("repo_name", "number", "kind", "created_at", "updated_at",
            "closed_at", "merged_at", "author_login", "author_bot", "fetched_at");
    private static final List<String> COMMENT_COLUMNS = List.of("repo_name", "number", "kind", "comment_id",
            "created_at", "author_login", "author_bot", "fetched_at");

    /** What an item is; the Enum8 values of V030. */
    public enum ItemKind {
        PULL(1), ISSUE(2);

        final int code;

        ItemKind(int code) {
            this.code = code;
        }
    }

    /** What a comment is; the Enum8 values of V030. */
    public enum CommentKind {
        ISSUE_COMMENT(1), REVIEW_COMMENT(2);

        final int code;

        CommentKind(int code) {
            this.code = code;
        }
    }

    /** A pull request or issue; closedAt and mergedAt are null while it has none. */
    public record Item(String repoName, long number, ItemKind kind, Instant createdAt, Instant updatedAt,
                       Instant closedAt, Instant mergedAt, String authorLogin, boolean authorBot) {
    }

    /** A comment on the item {@code number}. */
    public record Comment(String repoName, long number, CommentKind kind, long commentId, Instant createdAt,
                          String authorLogin, boolean authorBot) {
    }

    /** The facts of every item of lifecycle_facts_source's rows that the condition after it keeps. */
    private static final String KEEP_FACTS_WHERE = """
            INSERT INTO lifecycle_facts (repo_name, kind, number, created_at, closed_at, merged_at, author_bot,
                                         responded_at, version)
            SELECT repo_name, kind, number, created_at, closed_at, merged_at, author_bot, responded_at, version
            FROM lifecycle_facts_source
            WHERE\s""";

    /** The facts of the items {numbers} of {repo}, as items and comments hold them now (public for bench/). */
    public static final String KEEP_FACTS = KEEP_FACTS_WHERE + "repo_name = {repo:String} AND number IN {numbers:Array(UInt32)}";

    /** The facts of every item of {repos}: for bench/, which fills the two tables without this writer. */
    public static final String KEEP_FACTS_OF_REPOSITORIES = KEEP_FACTS_WHERE + "repo_name IN {repos:Array(String)}";

    /**
     * A repository's recomputes one at a time, so the later one both reads the tables later and
     * gets the later version (the engine's clock when it starts). Striped, so the locks stay few.
     */
    private final ReentrantLock[] factLocks = new ReentrantLock[64];

    private final ClickHouse clickHouse;
    private final DataChanges changes;
    /** Moved after every write of items is stored, never before (as {@link DataChanges}), by this writer alone. */
    private final java.util.concurrent.atomic.AtomicLong itemsWritten = new java.util.concurrent.atomic.AtomicLong();

    HistoryStore(ClickHouse clickHouse, DataChanges changes) {
        this.clickHouse = clickHouse;
        this.changes = changes;
        for (int i = 0; i < factLocks.length; i++) {
            factLocks[i] = new ReentrantLock();
        }
    }

    public void insertItems(List<Item> rows, Instant fetchedAt) {
        if (rows.isEmpty()) {
            return;
        }
        ClickHouse.await(clickHouse.reservedClient().insert("lifecycle_items", ITEM_COLUMNS, raw -> {
            RowBinary out = new RowBinary(raw);
            for (Item i : rows) {
                out.string(i.repoName());
                out.uint32(i.number());
                out.uint8(i.kind().code);
                out.uint32(i.createdAt().getEpochSecond());
                out.uint32(i.updatedAt().getEpochSecond());
                nullableTime(out, i.closedAt());
                nullableTime(out, i.mergedAt());
                out.string(i.authorLogin());
                out.uint8(i.authorBot() ? 1 : 0);
                out.uint64(fetchedAt.toEpochMilli());
            }
            out.flush();
        }, ClickHouseFormat.RowBinary, new InsertSettings())).close();
        keepFacts(numbers(rows.stream().map(i -> Map.entry(i.repoName(), i.number())).toList()));
        itemsWritten.incrementAndGet();
        changes.changed();
    }

    /**
     * How many writes of items this process has stored: a value read before a read of
     * lifecycle_items is unchanged after it only if this process wrote no item in between. This
     * class is the process's only writer of lifecycle_items; other processes' writes are not counted
     * (a reader bounds their staleness by API_CACHE_TTL: docs/design/lifecycle.md).
     */
    public long itemsWritten() {
        return itemsWritten.get();
    }

    public void insertComments(List<Comment> rows, Instant fetchedAt) {
        if (rows.isEmpty()) {
            return;
        }
        ClickHouse.await(clickHouse.reservedClient().insert("lifecycle_comments", COMMENT_COLUMNS, raw -> {
            RowBinary out = new RowBinary(raw);
            for (Comment c : rows) {
                out.string(c.repoName());
                out.uint32(c.number());
                out.uint8(c.kind().code);
                out.uint64(c.commentId());
                out.uint32(c.createdAt().getEpochSecond());
                out.string(c.authorLogin());
                out.uint8(c.authorBot() ? 1 : 0);
                out.uint64(fetchedAt.toEpochMilli());
            }
            out.flush();
        }, ClickHouseFormat.RowBinary, new InsertSettings())).close();
        keepFacts(numbers(rows.stream().map(c -> Map.entry(c.repoName(), c.number())).toList()));
        changes.changed();
    }

    private static Map<String, TreeSet<Long>> numbers(List<Map.Entry<String, Long>> rows) {
        Map<String, TreeSet<Long>> byRepo = new TreeMap<>();
        rows.forEach(r -> byRepo.computeIfAbsent(r.getKey(), k -> new TreeSet<>()).add(r.getValue()));
        return byRepo;
    }

    /**
     * Keeps again the facts of the items a stored write touched, from both tables as they are
     * now: exact whichever side came first (a comment before its item, an item synced again with
     * another author or state). A failure throws, so the page is fetched and written again.
     */
    private void keepFacts(Map<String, TreeSet<Long>> numbers) {
        numbers.forEach((repo, of) -> {
            ReentrantLock lock = factLocks[Math.floorMod(repo.hashCode(), factLocks.length)];
            lock.lock();
            try {
                clickHouse.reservedQuery(KEEP_FACTS, Map.of("repo", repo, "numbers", List.copyOf(of)));
            } finally {
                lock.unlock();
            }
        });
    }

    static void nullableTime(RowBinary out, Instant t) throws IOException {
        if (t == null) {
            out.uint8(1); // NULL
        } else {
            out.uint8(0);
            out.uint32(t.getEpochSecond());
        }
    }
}
