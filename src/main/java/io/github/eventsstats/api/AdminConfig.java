package io.github.eventsstats.api;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/** Who may call the admin endpoints. */
@ConfigMapping(prefix = "admin")
public interface AdminConfig {

    /** ADMIN_TOKEN: the bearer token of the admin endpoints; unset, they answer 404 as if absent. */
    Optional<String> token();
}
