package io.github.eventsstats.api;

/** Texts the OpenAPI annotations share. */
final class ApiDocs {

    private ApiDocs() {
    }

    static final String OWNER = "repository owner: 1 to 39 of [A-Za-z0-9-], not starting with '-'";
    static final String REPO = "repository name: 1 to 100 of [A-Za-z0-9._-]";
    static final String REPOSITORY_NAME = "only this repository, as owner/repo";
    static final String EVENT_TYPE = "only this event type";
    static final String ACTION = "only this payload action, e.g. opened, closed, started";
    static final String DAYS = "the window: events created in the last this many days";
    static final String LIMIT = "at most this many entries";
    static final String ITEM_DAYS = "the window: items created in the last this many days";
    static final String INCLUDE_BOTS = "true: count bot-authored items too (author type Bot, or a login ending in [bot]);"
            + " a bot's comment is never a response either way";
}
