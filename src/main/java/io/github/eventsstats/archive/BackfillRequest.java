package io.github.eventsstats.archive;

import io.github.eventsstats.event.TypeSelection;

import java.nio.file.Path;
import java.util.List;

/**
 * What a backfill is asked to do, as the command line was read: load {@code files}, or download GH
 * Archive's hours from {@code from} up to {@code to} (null: the current hour), each resolved on the
 * command's clock when it runs. {@code types} is null when not given: the sync's configured ones.
 */
public record BackfillRequest(boolean dryRun, TypeSelection types, List<Path> files, ArchiveHours.HourSpec from,
                              ArchiveHours.HourSpec to) {
}
