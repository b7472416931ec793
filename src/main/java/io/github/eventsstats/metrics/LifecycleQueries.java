package io.github.eventsstats.metrics;

/**
 * The SQL behind the lifecycle endpoints (docs/design/lifecycle.md): one row per pull request or
 * issue created in a window, with its close, merge and first response. The figures are computed
 * from those rows by {@link Lifecycle}, the same way whichever source the rows come from. Every
 * value is a {@code {name:Type}} parameter. Public so that bench/ times exactly these texts.
 */
public final class LifecycleQueries {

    private LifecycleQueries() {
    }

    /**
     * From a loaded history: its items' facts (lifecycle_facts, V032), kept at every write of
     * items or comments, so an answer reads one row per item of its window and no comments. The
     * window is one range of the table's key (repository, kind, creation). An item kept again
     * (a later sync, a new comment) has a later version; until parts merge FINAL keeps the latest.
     * In no order: the figures do not depend on it, and sorting cost the engine time
     * (docs/benchmarks/lifecycle.md).
     */
    public static final String ITEMS = items("", "= {repo:String}", "AND kind = {kind:String}");

    /**
     * {@link #ITEMS} of several repositories and of both kinds in one query ({@code /metrics/compare}):
     * each row's {@code r} is its repository's position in {repos} (from 1), {@code kind} its kind.
     * One query where two (one per kind) spent the engine's fixed cost of a query twice.
     */
    public static final String ITEMS_OF_REPOSITORIES = items("indexOf({repos:Array(String)}, repo_name) AS r, kind,",
            "IN {repos:Array(String)}", "");

    /**
     * The items query for one repository ({repo}) of one kind, or several of both ({repos}): the
     * parts that say which repository and kind a row is of are empty for one. Only these constants
     * are put in, never a value.
     */
    private static String items(String key, String repositories, String kind) {
        return """
                SELECT %1$s number, created_at, closed_at, merged_at, author_bot AS bot, responded_at
                FROM lifecycle_facts FINAL
                WHERE repo_name %2$s %3$s
                  AND created_at >= {from:DateTime} AND created_at <= {to:DateTime}
                """.formatted(key, repositories, kind);
    }

    /**
     * From stored events, for a repository whose history is not loaded: an item is its
     * `opened` event (its author that event's actor), paired with the merged and closed events of
     * the same number; it is closed when the last of its opened, reopened, closed and merged
     * events is a close or a merge. Responses are IssueCommentEvents and
     * PullRequestReviewCommentEvents, when those types are stored (EVENT_TYPES). Bots are told by
     * the login alone ([bot]): events carry no user type. min, max and argMax are unchanged by an
     * event stored twice. Like every read of `events` for an answer, from {expired_before} on
     * (EVENTS_RETENTION): an item opened before the horizon is not seen.
     */
    public static final String ITEMS_FROM_EVENTS = itemsFromEvents("", "", "= {repo:String}", "", "");

    /** {@link #ITEMS_FROM_EVENTS} of several repositories, of one kind, in one query; {@code r} as in {@link #ITEMS_OF_REPOSITORIES}. */
    public static final String ITEMS_FROM_EVENTS_OF_REPOSITORIES = itemsFromEvents("i.r AS r,",
            "indexOf({repos:Array(String)}, repo_name) AS r,", "IN {repos:Array(String)}", "r,", "c.r = i.r AND");

    /** As {@link #items}: the parts that say which repository a row is of are empty for one. */
    private static String itemsFromEvents(String output, String key, String repositories, String by, String on) {
        return """
                SELECT %1$s
                    i.number AS number,
                    i.created AS created_at,
                    if(i.last_action IN ('closed', 'merged'), i.last_close, NULL) AS closed_at,
                    if(i.merges > 0, i.first_merge, NULL) AS merged_at,
                    endsWith(i.author, '[bot]') AS bot,
                    minIf(c.first_at, c.number != 0 AND c.author_login != i.author) AS responded_at
                FROM
                (
                    SELECT %2$s number,
                           minIf(created_at, action = 'opened') AS created,
                           argMinIf(actor_login, created_at, action = 'opened') AS author,
                           argMax(action, created_at) AS last_action,
                           maxIf(created_at, action IN ('closed', 'merged')) AS last_close,
                           countIf(action = 'merged') AS merges,
                           minIf(created_at, action = 'merged') AS first_merge
                    FROM events
                    WHERE repo_name %3$s AND event_type = {type:String} AND number != 0
                      AND action IN ('opened', 'reopened', 'closed', 'merged')
                      AND created_at >= {expired_before:DateTime('UTC')}
                    GROUP BY %4$s number
                    HAVING countIf(action = 'opened') > 0 AND created >= {from:DateTime} AND created <= {to:DateTime}
                ) AS i
                LEFT JOIN
                (
                    SELECT %2$s number, actor_login AS author_login, min(created_at) AS first_at
                    FROM events
                    WHERE repo_name %3$s
                      AND event_type IN ('IssueCommentEvent', 'PullRequestReviewCommentEvent') AND action = 'created'
                      AND number != 0 AND NOT endsWith(actor_login, '[bot]') AND created_at >= {from:DateTime}
                      AND created_at >= {expired_before:DateTime('UTC')}
                    GROUP BY %4$s number, actor_login
                ) AS c ON %5$s c.number = i.number
                GROUP BY %4$s i.number, i.created, i.last_action, i.last_close, i.merges, i.first_merge, i.author
                ORDER BY %4$s i.number
                """.formatted(output, key, repositories, by, on);
    }

    /**
     * The first item's creation in each loaded history of {repos} that has one: since when its
     * answers are complete.
     */
    public static final String FIRST_ITEMS = """
            SELECT repo_name, min(created_at) AS first FROM lifecycle_items
            WHERE repo_name IN {repos:Array(String)} GROUP BY repo_name
            """;
}
