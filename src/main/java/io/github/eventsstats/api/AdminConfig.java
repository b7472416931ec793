package io.github.eventsstats.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Who may call the admin endpoints. */
@ConfigMapping(prefix = "admin")
public interface AdminConfig {

    /** ADMIN_TOKEN: the bearer token of the admin endpoints; unset, they answer 404 as if absent. */
    Optional<String> token();

    /**
     * ADMIN_TOKEN_FAILURES: wrong bearer tokens within a minute, from anywhere, after which the admin
     * endpoints answer every request 429 for ADMIN_LOCKOUT (the right token too: a guesser must not
     * learn when it found it).
     */
    @WithDefault("20")
    int tokenFailures();

    /** ADMIN_LOCKOUT: how long the admin endpoints answer 429 after a burst of wrong tokens. */
    @WithDefault("1m")
    Duration lockout();
}
