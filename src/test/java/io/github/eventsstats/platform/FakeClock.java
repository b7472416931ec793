package io.github.eventsstats.platform;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told. Enabled per test profile
 * ({@code QuarkusTestProfile#getEnabledAlternatives}) in place of {@link SystemClock}'s.
 */
@Alternative
@Singleton
public class FakeClock implements InstantSource {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    @Override
    public Instant instant() {
        return now.get();
    }

    public void set(Instant instant) {
        now.set(instant);
    }

    public Instant advance(Duration by) {
        return now.updateAndGet(t -> t.plus(by));
    }
}
