package io.github.eventsstats.clickhouse;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.AtomicLong;

/**
 * "The stored events changed": a counter that every write of this process moves once it is
 * stored. Readers that keep answers (the API's cache) compare it with the value they computed
 * under; writes by other processes do not move it.
 */
@ApplicationScoped
public class DataChanges {

    private final AtomicLong version = new AtomicLong();

    public long version() {
        return version.get();
    }

    /** Called after a write is stored, never before: a reader that sees the new value sees the rows. */
    public void changed() {
        version.incrementAndGet();
    }
}
