package io.github.eventsstats.event;

import java.util.List;
import java.util.Set;

/**
 * GitHub's event type names. `events.event_type` holds any name (a new type needs no migration);
 * this list is what configuration and parameters are checked against, so a typo is an error.
 */
public final class EventType {

    public static final String WATCH = "WatchEvent";
    public static final String PULL_REQUEST = "PullRequestEvent";
    public static final String ISSUES = "IssuesEvent";
    public static final String PUSH = "PushEvent";

    /** What is stored when no types are configured, and always listed in answers (0 included). */
    public static final List<String> DEFAULTS = List.of(WATCH, PULL_REQUEST, ISSUES);

    /** The types GitHub documents for the Events API ("GitHub event types", REST API docs). */
    public static final List<String> DOCUMENTED = List.of("CommitCommentEvent", "CreateEvent", "DeleteEvent",
            "DiscussionEvent", "ForkEvent", "GollumEvent", "IssueCommentEvent", ISSUES, "MemberEvent",
            "PublicEvent", PULL_REQUEST, "PullRequestReviewEvent", "PullRequestReviewCommentEvent",
            "PullRequestReviewThreadEvent", PUSH, "ReleaseEvent", "SponsorshipEvent", WATCH);

    /** Types GitHub no longer sends that GH Archive's older hours (2011-2016) still hold. */
    public static final List<String> RETIRED = List.of("DownloadEvent", "FollowEvent", "ForkApplyEvent",
            "GistEvent", "TeamAddEvent");

    private static final Set<String> KNOWN = Set.copyOf(
            java.util.stream.Stream.concat(DOCUMENTED.stream(), RETIRED.stream()).toList());

    private EventType() {
    }

    /** A documented or retired type name, exactly as GitHub spells it. */
    public static boolean known(String name) {
        return KNOWN.contains(name);
    }
}
