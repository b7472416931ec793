package io.github.eventsstats.event;

import java.util.regex.Pattern;

/**
 * GitHub's rules for the names events carry, checked where events come in and where the API takes
 * names, so a name that GitHub could not have issued (200 KB long, or holding NUL, ANSI escapes,
 * CR/LF or U+202E) is never stored or served.
 */
public final class GitHubNames {

    /** An owner or login: at most 39 of [A-Za-z0-9-], no leading hyphen. ASCII only, as GitHub's are. */
    public static final String OWNER = "^[A-Za-z0-9][A-Za-z0-9-]{0,38}$";
    public static final String OWNER_RULE = "must be 1 to 39 ASCII letters, digits or hyphens, not starting with a hyphen";
    /** A repository: at most 100 of [A-Za-z0-9._-]; "." and ".." are reserved. */
    public static final String REPO = "^(?!\\.\\.?$)[A-Za-z0-9._-]{1,100}$";
    public static final String REPO_RULE = "must be 1 to 100 ASCII letters, digits, '.', '_' or '-' (not '.' or '..')";

    /** An event type: GitHub's are CamelCase ASCII words (PushEvent); a type it adds later will be too. */
    private static final Pattern EVENT_TYPE = Pattern.compile("^[A-Z][A-Za-z0-9]{0,63}$");
    private static final Pattern OWNER_PATTERN = Pattern.compile(OWNER);
    private static final Pattern REPO_PATTERN = Pattern.compile(REPO);
    /** A GitHub App acts as {@code name[bot]}. */
    private static final String BOT_SUFFIX = "[bot]";

    private GitHubNames() {
    }

    public static boolean owner(String name) {
        return OWNER_PATTERN.matcher(name).matches();
    }

    public static boolean repository(String name) {
        return REPO_PATTERN.matcher(name).matches();
    }

    /** A full name, {@code owner/repo}. */
    public static boolean fullName(String name) {
        int slash = name.indexOf('/');
        return slash > 0 && owner(name.substring(0, slash)) && repository(name.substring(slash + 1));
    }

    public static boolean eventType(String name) {
        return EVENT_TYPE.matcher(name).matches();
    }

    /** An actor's login: an owner's name, or an app's {@code name[bot]}. */
    public static boolean login(String name) {
        String base = name.endsWith(BOT_SUFFIX) ? name.substring(0, name.length() - BOT_SUFFIX.length()) : name;
        return owner(base);
    }
}
