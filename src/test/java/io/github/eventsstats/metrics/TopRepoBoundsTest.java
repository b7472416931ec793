package io.github.eventsstats.metrics;

import io.github.eventsstats.metrics.TopRepoBounds.Row;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TopRepoBoundsTest {

    private static final int TOP = 2;

    private static Row top(String repo, long events, long coveredBound) {
        return new Row("top", repo, events, coveredBound);
    }

    private static Row bound(long sum) {
        return new Row("bound", "", sum, 10);
    }

    private static Row open(String repo, long events, long rank) {
        return new Row("open", repo, events, rank);
    }

    @Test
    void repositoriesThatCannotReachTheLimitThAreLeftOutWhenTheOutsideBoundIsBelowIt() {
        // 10 hours with bounds summing to 20; a listed in all of them, b in most, c in two
        List<Row> rows = List.of(bound(20), top("a", 300, 20), top("b", 100, 16), top("c", 9, 4));
        // limit 2: low(b) = 100 beats the outside 20; c reaches at most 9 + 16 = 25 < 100
        assertEquals(Optional.of(List.of("a", "b")), TopRepoBounds.candidates(rows, 2, TOP));
        // limit 3: low(c) = 9 does not beat 20: nothing settled
        assertEquals(Optional.empty(), TopRepoBounds.candidates(rows, 3, TOP));
    }

    @Test
    void aListedRepositoryThatMightStillOvertakeStaysACandidate() {
        List<Row> rows = List.of(bound(20), top("a", 300, 20), top("b", 100, 16), top("c", 90, 4));
        // c: 90 <= count <= 106, b: 100 <= count <= 104: both are needed for limit 2
        assertEquals(Optional.of(List.of("a", "b", "c")), TopRepoBounds.candidates(rows, 2, TOP));
    }

    @Test
    void theOpenPartAddsItsCountsItsTopAndItsBound() {
        List<Row> rows = List.of(bound(5), top("a", 50, 5), top("b", 30, 5),
                open("new", 60, 1), open("b", 10, 2), open("x", 4, 3), open("a", 1, 7));
        // low: a 51, b 40, new 60 (high 65); outside: 5 + 4 = 9
        assertEquals(Optional.of(List.of("a", "new")), TopRepoBounds.candidates(rows, 2, TOP));
        List<Row> closeCall = List.of(bound(5), top("a", 50, 5), open("x", 48, 3), open("y", 49, 2), open("z", 50, 1));
        // outside bound 5 + 48 = 53 >= low at limit 2 (z 50 after a 50): not settled
        assertEquals(Optional.empty(), TopRepoBounds.candidates(closeCall, 2, TOP));
    }

    @Test
    void fewerRepositoriesThanTheLimitAreTheAnswerOnlyIfNoOtherHasAnEvent() {
        assertEquals(Optional.of(List.of("a", "b")),
                TopRepoBounds.candidates(List.of(bound(0), top("a", 3, 0), top("b", 1, 0)), 10, TOP));
        assertEquals(Optional.empty(), TopRepoBounds.candidates(List.of(bound(1), top("a", 3, 0)), 10, TOP));
        assertEquals(Optional.of(List.of()), TopRepoBounds.candidates(List.of(bound(0)), 10, TOP));
    }

    @Test
    void anOutsideBoundEqualToTheLimitThCountIsNotEnough() {
        // a repository outside the lists might tie b at 20 and come first by name
        assertEquals(Optional.empty(), TopRepoBounds.candidates(List.of(bound(20), top("a", 40, 20), top("b", 20, 20)), 2, TOP));
    }
}
