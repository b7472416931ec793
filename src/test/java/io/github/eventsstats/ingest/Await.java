package io.github.eventsstats.ingest;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for the poller, which runs on its own schedule. */
final class Await {

    private Await() {
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
