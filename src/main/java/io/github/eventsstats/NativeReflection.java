package io.github.eventsstats;

import io.github.eventsstats.github.PollState;
import io.github.eventsstats.store.EventRow;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Classes Jackson reads and writes outside REST endpoints (whose types Quarkus registers by
 * itself), so a native image keeps their constructors and accessors: the poll state file and the
 * ingest backlog spool.
 */
@RegisterForReflection(targets = {PollState.class, PollState.RateLimitSnapshot.class, PollState.Wait.class,
        EventRow.class})
final class NativeReflection {
    private NativeReflection() {
    }
}
