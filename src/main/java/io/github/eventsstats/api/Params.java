package io.github.eventsstats.api;

import io.github.eventsstats.event.EventType;
import io.github.eventsstats.event.GitHubNames;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The rules of request parameters that Bean Validation annotations on the resource methods cite
 * (anchored, as the OpenAPI document shows them), the checks that are conversions rather than
 * constraints, and the wording of a broken rule.
 */
final class Params {

    static final String OWNER = GitHubNames.OWNER;
    static final String OWNER_RULE = GitHubNames.OWNER_RULE;
    static final String REPO = GitHubNames.REPO;
    static final String REPO_RULE = GitHubNames.REPO_RULE;
    /** Payload actions are short lower-case words: opened, closed, started, ... */
    static final String ACTION = "^[a-z_]{1,32}$";
    static final String ACTION_RULE = "must be 1 to 32 lower-case letters or '_', e.g. opened";

    private static final Instant LAST_DATE_TIME = Instant.parse("2100-01-01T00:00:00Z");

    private Params() {
    }

    /** An optional {@code owner/repo} query parameter; empty when absent. */
    static String optionalRepository(String parameter, String value) {
        if (value == null) {
            return "";
        }
        int slash = value.indexOf('/');
        if (slash < 0) {
            throw bad(parameter, value, "must be a full name, owner/repo");
        }
        if (!GitHubNames.fullName(value)) {
            throw bad(parameter, value, "must be owner/repo, the owner 1 to 39 ASCII letters, digits or hyphens"
                    + " (no leading hyphen), the repository 1 to 100 ASCII letters, digits, '.', '_' or '-'");
        }
        return value;
    }

    /**
     * A present comma-separated list of 1 to {@code max} distinct repositories (any letter case
     * counts once), each owner/repo.
     */
    static java.util.List<String> repositories(String parameter, String value, int max) {
        String[] parts = value.split(",", -1);
        if (parts.length > max) {
            throw bad(parameter, value, "must name at most " + max + " repositories; got " + parts.length);
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String part : parts) {
            String name = part.strip();
            if (name.isEmpty()) {
                throw bad(parameter, value, "must be owner/repo names separated by commas, none empty");
            }
            optionalRepository(parameter, name);
            if (!seen.add(name.toLowerCase(java.util.Locale.ROOT))) {
                throw bad(parameter, value, "names " + name + " twice");
            }
            names.add(name);
        }
        return names;
    }

    /** A present event type (absence is @NotNull's to report). */
    static String eventType(String parameter, String value) {
        if (!EventType.known(value)) {
            throw bad(parameter, value, "must be one of GitHub's event types: " + String.join(", ", EventType.DOCUMENTED));
        }
        return value;
    }

    /** An optional event type; empty when absent. */
    static String optionalEventType(String parameter, String value) {
        return value == null ? "" : eventType(parameter, value);
    }

    /** One of the constants of {@code type}, by name. */
    static <E extends Enum<E>> E oneOf(String parameter, String value, Class<E> type) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        throw bad(parameter, value, "must be one of "
                + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", ")));
    }

    /** A window's bounds as asked; null where absent (the default applies). */
    record Window(Instant from, Instant to) {
    }

    /**
     * The optional {@code from} and {@code to} of a window: ISO-8601 instants from 1970 to 2100, well
     * inside ClickHouse's DateTime (to 2106). Both are parsed before either range is checked.
     */
    static Window window(String from, String to) {
        Instant requestedTo = optionalInstant("to", to);
        Instant requestedFrom = optionalInstant("from", from);
        checkDateTime("to", requestedTo);
        checkDateTime("from", requestedFrom);
        return new Window(requestedFrom, requestedTo);
    }

    private static void checkDateTime(String parameter, Instant value) {
        if (value != null && (value.isBefore(Instant.EPOCH) || value.isAfter(LAST_DATE_TIME))) {
            throw bad(parameter, value.toString(), "must be between 1970-01-01T00:00:00Z and 2100-01-01T00:00:00Z");
        }
    }

    /** An optional ISO-8601 instant such as 2026-01-31T12:00:00Z; null when absent. */
    static Instant optionalInstant(String parameter, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw bad(parameter, value, "must be an ISO-8601 UTC instant such as 2026-01-31T12:00:00Z");
        }
    }

    /** A broken Bean Validation rule of a resource method parameter, worded as the rules above. */
    /** A broken rule on a method parameter or a {@code @BeanParam} field, named by its query or path parameter. */
    static BadParameterException broken(AnnotatedElement at, ConstraintViolation<?> violation) {
        String name = name(at);
        Annotation rule = violation.getConstraintDescriptor().getAnnotation();
        if (rule instanceof NotNull) {
            return required(name);
        }
        String value = String.valueOf(violation.getInvalidValue());
        Min min = at.getAnnotation(Min.class);
        Max max = at.getAnnotation(Max.class);
        if (min == null || max == null) {
            return bad(name, value, violation.getMessage());
        }
        String bounds = "from " + min.value() + " to " + max.value();
        return bad(name, value, isBound(rule) ? "must be " + bounds : violation.getMessage() + " " + bounds);
    }

    /** A value that is no number breaks its bounds too; its shape is the rule to name. */
    static boolean isBound(Annotation rule) {
        return rule instanceof Min || rule instanceof Max;
    }

    private static String name(AnnotatedElement at) {
        QueryParam query = at.getAnnotation(QueryParam.class);
        if (query != null) {
            return query.value();
        }
        PathParam path = at.getAnnotation(PathParam.class);
        return path != null ? path.value() : String.valueOf(at);
    }

    private static BadParameterException required(String parameter) {
        return new BadParameterException(parameter, parameter + " is required");
    }

    static BadParameterException bad(String parameter, String value, String rule) {
        String shown = value.length() > 60 ? value.substring(0, 60) + "…" : value;
        return new BadParameterException(parameter, parameter + " " + rule + "; got \"" + shown + "\"");
    }
}
