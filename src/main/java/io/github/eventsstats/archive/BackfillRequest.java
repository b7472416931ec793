package io.github.eventsstats.archive;

import io.github.eventsstats.event.TypeSelection;

import java.nio.file.Path;
import java.util.List;

/**
 * What a backfill is asked to do: load {@code files}, or download GH Archive's hours from
 * {@code from} (a UTC date-hour or a period back, {@link ArchiveHours#parse}) up to {@code to}.
 * {@code types} is null when not given: the sync's configured ones.
 */
public record BackfillRequest(boolean dryRun, TypeSelection types, List<Path> files, String from, String to) {
}
