package io.github.eventsstats.api;

import io.github.eventsstats.store.EventType;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Checks request parameters against GitHub's naming rules and numeric bounds. Parameters arrive
 * as strings, so that a malformed number is a 400 naming it rather than JAX-RS's bare 404.
 */
final class Params {

    /** GitHub: at most 39 of [A-Za-z0-9-], no leading hyphen. ASCII only, as GitHub's are. */
    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,38}");
    /** GitHub: at most 100 of [A-Za-z0-9._-]; "." and ".." are reserved. */
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    /** Payload actions are short lower-case words: opened, closed, started, ... */
    private static final Pattern ACTION = Pattern.compile("[a-z_]{1,32}");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,18}");

    private Params() {
    }

    static String owner(String parameter, String value) {
        String v = required(parameter, value);
        if (!OWNER.matcher(v).matches()) {
            throw bad(parameter, v, "must be 1 to 39 ASCII letters, digits or hyphens, not starting with a hyphen");
        }
        return v;
    }

    static String repo(String parameter, String value) {
        String v = required(parameter, value);
        if (!REPO.matcher(v).matches() || v.equals(".") || v.equals("..")) {
            throw bad(parameter, v, "must be 1 to 100 ASCII letters, digits, '.', '_' or '-' (not '.' or '..')");
        }
        return v;
    }

    /** {@code owner/repo} from two path parameters. */
    static String repository(String owner, String repo) {
        return owner("owner", owner) + "/" + repo("repo", repo);
    }

    /** An optional {@code owner/repo} query parameter; empty when absent. */
    static String optionalRepository(String parameter, String value) {
        if (absent(value)) {
            return "";
        }
        int slash = value.indexOf('/');
        if (slash < 0) {
            throw bad(parameter, value, "must be a full name, owner/repo");
        }
        try {
            return owner(parameter, value.substring(0, slash)) + "/" + repo(parameter, value.substring(slash + 1));
        } catch (BadParameterException e) {
            throw bad(parameter, value, "must be owner/repo, the owner 1 to 39 ASCII letters, digits or hyphens"
                    + " (no leading hyphen), the repository 1 to 100 ASCII letters, digits, '.', '_' or '-'");
        }
    }

    /** An optional payload action; empty when absent. */
    static String optionalAction(String parameter, String value) {
        if (absent(value)) {
            return "";
        }
        if (!ACTION.matcher(value).matches()) {
            throw bad(parameter, value, "must be 1 to 32 lower-case letters or '_', e.g. opened");
        }
        return value;
    }

    /** An optional GitHub login (same rules as an owner); empty when absent. */
    static String optionalLogin(String parameter, String value) {
        return absent(value) ? "" : owner(parameter, value);
    }

    static EventType eventType(String parameter, String value) {
        String v = required(parameter, value);
        return EventType.of(v).orElseThrow(() -> bad(parameter, v, "must be one of " + Arrays.toString(EventType.values())));
    }

    /** An optional event type; empty when absent. */
    static String optionalEventType(String parameter, String value) {
        return absent(value) ? "" : eventType(parameter, value).name();
    }

    static int integer(String parameter, String value, int min, int max, int defaultValue) {
        return absent(value) ? defaultValue : integer(parameter, value, min, max);
    }

    static int integer(String parameter, String value, int min, int max) {
        String v = required(parameter, value);
        if (!INTEGER.matcher(v).matches()) {
            throw bad(parameter, v, "must be a whole number from " + min + " to " + max);
        }
        long n = Long.parseLong(v);
        if (n < min || n > max) {
            throw bad(parameter, v, "must be from " + min + " to " + max);
        }
        return (int) n;
    }

    /** An optional ISO-8601 instant such as 2026-01-31T12:00:00Z; null when absent. */
    static Instant optionalInstant(String parameter, String value) {
        if (absent(value)) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw bad(parameter, value, "must be an ISO-8601 UTC instant such as 2026-01-31T12:00:00Z");
        }
    }

    private static boolean absent(String value) {
        return value == null || value.isEmpty();
    }

    private static String required(String parameter, String value) {
        if (absent(value)) {
            throw new BadParameterException(parameter, parameter + " is required");
        }
        return value;
    }

    static BadParameterException bad(String parameter, String value, String rule) {
        String shown = value.length() > 60 ? value.substring(0, 60) + "…" : value;
        return new BadParameterException(parameter, parameter + " " + rule + "; got \"" + shown + "\"");
    }
}
