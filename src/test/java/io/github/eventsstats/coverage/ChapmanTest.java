package io.github.eventsstats.coverage;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChapmanTest {

    @Test
    void estimatesFromBothSamplesAndTheirOverlap() {
        // (n1+1)(n2+1)/(m+1) - 1
        assertEquals(101.0 * 201 / 21 - 1, Chapman.estimate(100, 200, 20).getAsDouble(), 1e-9);
        assertEquals(999.0, Chapman.estimate(299, 999, 299).getAsDouble(), 1e-9,
                "a sample wholly inside the other: the larger one was everything");
    }

    @Test
    void withoutARecaptureThereIsNoEstimate() {
        assertTrue(Chapman.estimate(300, 40_000, 0).isEmpty());
        assertTrue(Chapman.estimate(0, 0, 0).isEmpty());
    }

    @Test
    void anOverlapLargerThanASampleIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Chapman.estimate(10, 5, 6));
        assertThrows(IllegalArgumentException.class, () -> Chapman.estimate(-1, 5, 0));
    }
}
