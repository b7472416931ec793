package io.github.eventsstats.archive;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the sync's backoff waits instead of waiting. */
@Alternative
@Singleton
public class RecordedBackoff extends SyncBackoff {

    final List<Duration> pauses = new CopyOnWriteArrayList<>();

    @Override
    public void pause(Duration d) {
        pauses.add(d);
    }
}
