package io.github.eventsstats.stream;

import io.github.eventsstats.github.RateBudget;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How many replicas share the token, from the watch group's descriptions. */
class BudgetShareTest {

    private static final TestKafkaConfig CONFIG = TestKafkaConfig.fresh("127.0.0.1:1", 1);
    private static final long SESSION = CONFIG.sessionTimeout().toNanos();

    @Test
    void unknownUntilTheGroupIsDescribedThenGrowingAtOnceAndShrinkingOnlyAfterTheSessionTimeout() {
        RateBudget budget = new RateBudget(0);
        BudgetShare share = new BudgetShare(CONFIG, budget);
        assertEquals(0, budget.replicas(), "nothing spent before the group is known");
        share.observe(0, false, 0);
        assertEquals(1, budget.replicas(), "alone, not in the group yet");
        share.observe(2, false, 1);
        assertEquals(3, budget.replicas(), "two others and this one, joining");
        share.observe(3, true, 2);
        assertEquals(3, budget.replicas());
        share.observe(2, true, 3);
        assertEquals(3, budget.replicas(), "a replica gone is counted until the group gives up on it");
        share.observe(2, true, 3 + SESSION - 1);
        assertEquals(3, budget.replicas());
        share.observe(2, true, 3 + SESSION);
        assertEquals(2, budget.replicas());
    }
}
