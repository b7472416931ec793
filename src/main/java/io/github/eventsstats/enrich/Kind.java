package io.github.eventsstats.enrich;

import java.util.Locale;

/**
 * What is enriched: an actor (its key the login, from events.actor_login) or a repository (its
 * full name, from events.repo_name), each with its table of profiles. The names here are the
 * schema's, never a caller's value.
 */
public enum Kind {
    ACTOR("actor_profiles", "login", "actor_login", "^[A-Za-z0-9][A-Za-z0-9-]{0,38}(\\[bot\\])?$"),
    REPOSITORY("repo_profiles", "repo_name", "repo_name", "^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$");

    final String table;
    final String key;
    final String eventColumn;
    /** Keys GitHub could know (RE2, for ClickHouse's match()): anything else in events is never asked for. */
    final String valid;

    Kind(String table, String key, String eventColumn, String valid) {
        this.table = table;
        this.key = key;
        this.eventColumn = eventColumn;
        this.valid = valid;
    }

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
