package io.github.eventsstats.event;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The event types to store: named ones, or {@code *} for every type, including types GitHub adds
 * later. Names are checked against {@link EventType}, so a misspelt type fails loudly instead of
 * silently storing nothing.
 */
public record TypeSelection(boolean all, Set<String> names) {

    public static final String ALL = "*";
    public static final TypeSelection EVERY = new TypeSelection(true, Set.of());
    public static final TypeSelection DEFAULTS = new TypeSelection(false, new LinkedHashSet<>(EventType.DEFAULTS));

    public TypeSelection {
        names = all ? Set.of() : java.util.Collections.unmodifiableSet(new LinkedHashSet<>(names));
    }

    public static TypeSelection of(String... names) {
        return parse(List.of(names));
    }

    /**
     * Names (blank ones ignored) or {@code *}, which may not be mixed with names.
     *
     * @throws IllegalArgumentException naming the first bad entry and what is accepted
     */
    public static TypeSelection parse(List<String> entries) {
        Set<String> names = new LinkedHashSet<>();
        boolean all = false;
        for (String entry : entries) {
            String name = entry.strip();
            if (name.isEmpty()) {
                continue;
            }
            if (name.equals(ALL)) {
                all = true;
            } else if (!EventType.known(name)) {
                throw new IllegalArgumentException("unknown event type '" + name + "'; use * for every type, or"
                        + " GitHub's names: " + String.join(", ", EventType.DOCUMENTED));
            } else {
                names.add(name);
            }
        }
        if (all && !names.isEmpty()) {
            throw new IllegalArgumentException("* already means every event type; list no names beside it");
        }
        if (!all && names.isEmpty()) {
            throw new IllegalArgumentException("no event type given; use * for every type, or GitHub's names");
        }
        return all ? EVERY : new TypeSelection(false, names);
    }

    /**
     * A configured list ({@code POLLER_EVENT_TYPES} and the like); unset, {@code unset}.
     *
     * @throws IllegalArgumentException naming the variable and the bad entry
     */
    public static TypeSelection configured(String variable, Optional<List<String>> entries, TypeSelection unset) {
        if (entries.isEmpty()) {
            return unset;
        }
        try {
            return parse(entries.get());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(variable + ": " + e.getMessage(), e);
        }
    }

    public boolean keeps(String type) {
        return all || names.contains(type);
    }

    /** Whether a load of these types stored every event a load of {@code other} would store. */
    public boolean covers(TypeSelection other) {
        return all || !other.all && names.containsAll(other.names);
    }

    /** As it would be configured: {@code *} or the names comma-separated. */
    @Override
    public String toString() {
        return all ? ALL : String.join(",", new ArrayList<>(names));
    }
}
