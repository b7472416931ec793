package io.github.eventsstats.cli;

import io.github.eventsstats.archive.ArchiveFiles;
import io.github.eventsstats.archive.ArchiveHours;
import io.github.eventsstats.archive.Backfill;
import io.github.eventsstats.archive.BackfillRequest;
import io.github.eventsstats.cli.MainTest.Run;
import io.github.eventsstats.event.EventType;
import io.github.eventsstats.event.TypeSelection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line and the files it names. */
class BackfillOptionsTest {

    @TempDir
    Path dir;

    private String usageError(String... args) {
        return assertThrows(ArchiveFiles.UsageException.class, () -> BackfillCommand.parse(args)).getMessage();
    }

    @Test
    void directoriesYieldTheirArchiveFilesInNameOrderAndFilesAreTakenOnce() throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        for (String name : List.of("2024-01-01-10.json.gz", "2024-01-01-9.json.gz", "a.json", "sub/b.jsonl", "notes.txt",
                "c.json.gz.part")) {
            Files.writeString(dir.resolve(name), "");
        }
        BackfillRequest o = BackfillCommand.parse("--dry-run", dir.toString(), dir.resolve("a.json").toString());

        assertTrue(o.dryRun());
        assertEquals(TypeSelection.DEFAULTS, o.types());
        assertEquals(List.of("2024-01-01-10.json.gz", "2024-01-01-9.json.gz", "a.json", "b.jsonl"),
                o.files().stream().map(f -> f.getFileName().toString()).toList());
    }

    @Test
    void typesAreValidated() throws Exception {
        Path f = Files.writeString(dir.resolve("x.json"), "");
        assertEquals(TypeSelection.of(EventType.WATCH, EventType.ISSUES),
                BackfillCommand.parse("--types", "WatchEvent, IssuesEvent", f.toString()).types());
        assertEquals(TypeSelection.of(EventType.PULL_REQUEST), BackfillCommand.parse("--types=PullRequestEvent", f.toString()).types());
        assertEquals(TypeSelection.of(EventType.PUSH, "ForkEvent"),
                BackfillCommand.parse("--types=PushEvent,ForkEvent", f.toString()).types());
        assertEquals(TypeSelection.EVERY, BackfillCommand.parse("--types", "*", f.toString()).types());
        assertTrue(usageError("--types", "Pushevent", f.toString()).startsWith("--types: unknown event type 'Pushevent'"));
        assertTrue(usageError("--types", "*,PushEvent", f.toString()).contains("* already means every event type"));
        assertTrue(usageError("--types", ",", f.toString()).contains("no event type"));
        assertTrue(usageError(f.toString(), "--types").contains("--types needs a value"));
    }

    @Test
    void missingPathsAndUnknownOptionsAreUsageErrors() throws Exception {
        assertEquals(dir.resolve("nope.json") + ": no such file or directory", usageError(dir.resolve("nope.json").toString()));
        assertEquals("no PATH given", usageError("--dry-run"));
        assertEquals("unknown option --fast", usageError("--fast", dir.toString()));
        Files.writeString(dir.resolve("readme.txt"), "");
        assertTrue(usageError(dir.toString()).contains("no .json, .json.gz or .jsonl files"));
        assertNull(BackfillCommand.parse("--help"));
    }

    @Test
    void aRangeOfHoursIsReadInsteadOfPathsAndChecked() {
        BackfillRequest o = BackfillCommand.parse("--from", "2026-11-01T00", "--to", "2026-11-02T00");

        assertEquals(new ArchiveHours.At(Instant.parse("2026-11-01T00:00:00Z")), o.from());
        assertEquals(new ArchiveHours.At(Instant.parse("2026-11-02T00:00:00Z")), o.to());
        assertEquals(List.of(), o.files());
        BackfillRequest week = BackfillCommand.parse("--from=P7D");
        assertEquals(new ArchiveHours.Back(Duration.ofDays(7)), week.from(), "resolved when the command runs, on its clock");
        assertNull(week.to(), "the current hour, then");
        assertTrue(usageError("--from", "yesterday").contains("neither a UTC date-hour such as 2026-11-01T00"));
        assertEquals("--to 2026-11-01T00 is not after --from 2026-11-01T05",
                usageError("--from", "2026-11-01T05", "--to", "2026-11-01T00"));
        assertTrue(usageError("--from", "2011-02-11T23").contains("before GH Archive's first hour"));
        assertTrue(usageError("--from", "P10000D").contains("before GH Archive's first hour"));
        assertTrue(usageError("--from", "2011-02-12T00", "--to", "2100-01-01T00").contains("at most 100000"));
        assertEquals("--to needs --from", usageError("--to", "2026-11-01T00", dir.toString()));
        assertEquals("give PATHs or --from, not both", usageError("--from", "P1D", dir.toString()));
        assertTrue(usageError("--dry-run", "--from", "P1D").startsWith("--dry-run reads files"));
        assertNull(o.types(), "the sync's configured types");
        assertEquals(TypeSelection.EVERY, BackfillCommand.parse("--from", "P1D", "--types", "*").types());
        BackfillRequest three = BackfillCommand.parse("--from", "P1D", "--types", String.valueOf(TypeSelection.DEFAULTS));
        assertEquals(TypeSelection.DEFAULTS, three.types(), "named, not left to the config");
        assertTrue(usageError("--from", "P1D", "--types", "Nope").startsWith("--types: unknown event type 'Nope'"));
    }

    @Test
    void oneTypedRequestHoldsWhatTheCommandLineSaid() throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        Path odd = Files.writeString(dir.resolve("sub/-odd name.json"), "");
        Path gz = Files.writeString(dir.resolve("b.json.gz"), "");
        BackfillRequest o = BackfillCommand.parse("--types", "IssuesEvent,WatchEvent", "--dry-run", dir.toString());

        assertEquals(new BackfillRequest(true, TypeSelection.of(EventType.ISSUES, EventType.WATCH), List.of(gz, odd), null, null), o);
        assertEquals(List.of(odd), BackfillCommand.parse("--", odd.toString()).files());
    }

    @Test
    void helpListsTheOptionsAndTheEventTypes() {
        Run run = MainTest.run("backfill", "--help");

        assertEquals(Backfill.OK, run.code(), run.err());
        assertTrue(run.out().startsWith("Load GH Archive files"), run.out());
        assertTrue(run.out().contains("Usage: github-events-stats backfill [-h] [--dry-run] [--from=HOUR] [--to=HOUR]"),
                run.out());
        for (String option : List.of("--dry-run", "--types=T,..", "--from=HOUR", "--to=HOUR", "[PATH...]", "-h, --help")) {
            assertTrue(run.out().contains("  " + option + " "), option + " in " + run.out());
        }
        for (String t : EventType.DEFAULTS) {
            assertTrue(run.out().contains(t), run.out());
        }
        assertTrue(run.out().contains("Exit status:"), run.out());
    }

    @Test
    void anUnknownOptionOrEventTypeIsAUsageErrorBeforeAnythingStarts() throws Exception {
        Path f = Files.writeString(dir.resolve("x.json"), "");

        Run option = MainTest.run("backfill", "--fast", f.toString());
        assertEquals(Backfill.USAGE, option.code());
        assertTrue(option.err().startsWith("backfill: unknown option --fast\n"), option.err());
        assertTrue(option.err().contains("\nUsage: github-events-stats backfill"), option.err());

        Run type = MainTest.run("backfill", "--types", "WatchEvent,PushEvnt", f.toString());
        assertEquals(Backfill.USAGE, type.code());
        assertTrue(type.err().startsWith("backfill: --types: unknown event type 'PushEvnt'"), type.err());
        String known = type.err().lines().findFirst().orElseThrow();
        for (String t : EventType.DEFAULTS) {
            assertTrue(known.contains(t), known);
        }
        assertTrue(type.err().contains("Usage: github-events-stats backfill"), type.err());

        Run missing = MainTest.run("backfill", dir.resolve("nope.json").toString());
        assertEquals(Backfill.USAGE, missing.code());
        assertTrue(missing.err().startsWith("backfill: " + dir.resolve("nope.json") + ": no such file or directory\n"),
                missing.err());
        assertEquals("", option.out() + type.out() + missing.out());
    }
}
