package io.github.eventsstats.watch;

import io.github.eventsstats.metrics.Lifecycle;
import io.github.eventsstats.metrics.LifecycleStore;
import io.github.eventsstats.watch.HistoryStore.Comment;
import io.github.eventsstats.watch.HistoryStore.CommentKind;
import io.github.eventsstats.watch.HistoryStore.Item;
import io.github.eventsstats.watch.HistoryStore.ItemKind;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The facts an answer reads (lifecycle_facts) are kept at every write of items or comments and
 * are exact whichever side of an item arrives first, and after any later sync of it: written
 * here through {@link HistoryStore}, the history sync's store, in the orders the four lists can
 * give, and read as answers read them. LifecycleTest checks whole histories loaded from the fake
 * GitHub against the generated truth.
 */
@QuarkusTest
@TestProfile(WatchTestProfile.class)
class LifecycleFactsTest {

    private static final Instant T = Instant.parse("2026-11-02T10:00:00Z");

    @Inject
    HistoryStore history;
    @Inject
    LifecycleStore lifecycle;

    private static String repository() {
        return "facts-org/r" + System.nanoTime();
    }

    private static Item issue(String repo, long number, Instant updated, Instant closed, String author) {
        return new Item(repo, number, ItemKind.ISSUE, T, updated, closed, null, author, false);
    }

    private static Comment comment(String repo, long number, long id, Duration after, String author) {
        return new Comment(repo, number, CommentKind.ISSUE_COMMENT, id, T.plus(after), author, author.endsWith("[bot]"));
    }

    /** The one item of the repository's issues created around T, as an answer reads it. */
    private Lifecycle.ItemLife read(String repo) {
        Instant from = T.minus(Duration.ofDays(1));
        Instant to = T.plus(Duration.ofDays(1));
        List<Lifecycle.ItemLife> items = lifecycle.items(repo, LifecycleStore.Kind.ISSUE, from, to);
        assertEquals(1, items.size(), items.toString());
        // A comparison reads the same facts, each repository's own, of its own kind.
        String other = repository();
        history.insertItems(List.of(issue(other, 1, T, null, "zed")), T);
        var compared = lifecycle.itemsOfBothKinds(List.of(other, repo), from, to);
        assertEquals(items, compared.get(LifecycleStore.Kind.ISSUE).get(1));
        assertEquals(List.of(), compared.get(LifecycleStore.Kind.PULL).get(1));
        return items.getFirst();
    }

    @Test
    void aCommentStoredBeforeItsItemIsItsFirstResponseOnceTheItemIsStored() {
        String repo = repository();
        history.insertComments(List.of(comment(repo, 7, 1, Duration.ofHours(3), "bob"),
                comment(repo, 7, 2, Duration.ofHours(1), "ann"), comment(repo, 7, 3, Duration.ofHours(2), "ci[bot]")), T);
        history.insertItems(List.of(issue(repo, 7, T, null, "ann")), T);

        assertEquals(T.plus(Duration.ofHours(3)), read(repo).firstResponseAt(), "bob's: ann is the author, ci[bot] a bot");
    }

    @Test
    void anItemSyncedAgainWithAnotherAuthorIsAnsweredByTheOthers() {
        String repo = repository();
        history.insertItems(List.of(issue(repo, 8, T, null, "ann")), T);
        history.insertComments(List.of(comment(repo, 8, 1, Duration.ofHours(1), "bob"),
                comment(repo, 8, 2, Duration.ofHours(2), "ann")), T);
        assertEquals(T.plus(Duration.ofHours(1)), read(repo).firstResponseAt());

        // GitHub's later answer names bob as its author (a ghost user restored, a transfer).
        history.insertItems(List.of(issue(repo, 8, T.plus(Duration.ofDays(2)), null, "bob")), T);
        assertEquals(T.plus(Duration.ofHours(2)), read(repo).firstResponseAt(), "ann's, as bob wrote it");
    }

    @Test
    void aReopenedItemIsOpenAgainAndAClosedOneClosed() {
        String repo = repository();
        Instant closed = T.plus(Duration.ofHours(5));
        history.insertItems(List.of(issue(repo, 9, closed, closed, "ann")), T);
        assertEquals(closed, read(repo).closedAt());

        history.insertItems(List.of(issue(repo, 9, T.plus(Duration.ofDays(1)), null, "ann")), T);
        assertNull(read(repo).closedAt(), "reopened: the latest sync has no close");

        Instant again = T.plus(Duration.ofDays(3));
        history.insertItems(List.of(issue(repo, 9, again, again, "ann")), T);
        assertEquals(again, read(repo).closedAt());
    }

    @Test
    void anEarlierSyncOfAnItemStoredLaterDoesNotReplaceItsLatestState() {
        String repo = repository();
        Instant closed = T.plus(Duration.ofHours(5));
        history.insertItems(List.of(issue(repo, 10, closed, closed, "ann")), T);
        // A page read before the close, stored after it (a pass resumed from an older page).
        history.insertItems(List.of(issue(repo, 10, T, null, "ann")), T);
        assertEquals(closed, read(repo).closedAt(), "the row updated last wins, not the row stored last");
    }
}
