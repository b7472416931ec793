package io.github.eventsstats.watch;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.clickhouse.DataChanges;
import io.github.eventsstats.clickhouse.RowBinary;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * `pull_requests` (clickhouse/V021): the pulls lists of watched repositories. Every row also
 * reaches pr_metrics_agg through pr_metrics_pulls_mv, counted by repository and number, so a PR
 * stored here and seen as an event counts once. Calls block.
 */
@ApplicationScoped
public class PullRequestStore {

    private static final List<String> COLUMNS = List.of("repo_name", "number", "created_at", "closed_at", "merged_at",
            "state", "fetched_at");

    /** One pull request as the pulls list shows it; closedAt and mergedAt are null while it has none. */
    public record PullRequest(String repoName, long number, Instant createdAt, Instant closedAt, Instant mergedAt,
                              String state) {
    }

    /** What is stored of one repository: distinct PRs and the first one's creation (null without any). */
    public record Stored(long pullRequests, Instant firstCreatedAt) {
    }

    private final ClickHouse clickHouse;
    private final DataChanges changes;

    PullRequestStore(ClickHouse clickHouse, DataChanges changes) {
        this.clickHouse = clickHouse;
        this.changes = changes;
    }

    /** One RowBinary insert; a PR stored before is replaced by this newer fetch. */
    public void insert(List<PullRequest> rows, Instant fetchedAt) {
        if (rows.isEmpty()) {
            return;
        }
        ClickHouse.await(clickHouse.reservedClient().insert("pull_requests", COLUMNS, out -> write(out, rows, fetchedAt),
                ClickHouseFormat.RowBinary, new InsertSettings())).close();
        changes.changed();
    }

    public Stored stored(String repoName) {
        var r = clickHouse.reservedQuery("""
                SELECT uniqExact(number) AS n, minOrNull(created_at) AS first
                FROM pull_requests WHERE repo_name = {repo:String}""", Map.of("repo", repoName)).getFirst();
        return new Stored(r.getLong("n"), r.hasValue("first") ? r.getInstant("first") : null);
    }

    private static void write(OutputStream raw, List<PullRequest> rows, Instant fetchedAt) throws IOException {
        RowBinary out = new RowBinary(raw);
        for (PullRequest p : rows) {
            out.string(p.repoName());
            out.uint32(p.number());
            out.uint32(p.createdAt().getEpochSecond());
            HistoryStore.nullableTime(out, p.closedAt());
            HistoryStore.nullableTime(out, p.mergedAt());
            out.string(p.state());
            out.uint64(fetchedAt.toEpochMilli());
        }
        out.flush();
    }
}
