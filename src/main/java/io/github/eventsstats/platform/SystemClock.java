package io.github.eventsstats.platform;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.InstantSource;

/** The one source of time for the service's decisions; tests put a fake clock in its place. */
@Singleton
public class SystemClock {

    @Produces
    @Singleton
    InstantSource system() {
        return InstantSource.system();
    }
}
