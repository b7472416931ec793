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

/**
 * `lifecycle_items` and `lifecycle_comments` (clickhouse/V030): a repository's pull requests,
 * issues and the comments on them, as its history lists give them. A row fetched again replaces
 * the earlier one (items by updated_at, comments by fetched_at). Calls block.
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

    private final ClickHouse clickHouse;
    private final DataChanges changes;
    /** Moved after every write of items is stored, never before (as {@link DataChanges}), by this writer alone. */
    private final java.util.concurrent.atomic.AtomicLong itemsWritten = new java.util.concurrent.atomic.AtomicLong();

    HistoryStore(ClickHouse clickHouse, DataChanges changes) {
        this.clickHouse = clickHouse;
        this.changes = changes;
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
        itemsWritten.incrementAndGet();
        changes.changed();
    }

    /**
     * How many writes of items this process has stored: a value read before a read of
     * lifecycle_items is unchanged after it only if no item was written in between. This class is
     * lifecycle_items' only writer.
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
        changes.changed();
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
