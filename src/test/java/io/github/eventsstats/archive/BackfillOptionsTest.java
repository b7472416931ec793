package io.github.eventsstats.archive;

import io.github.eventsstats.store.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
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
        BackfillCommand.Options o = BackfillCommand.parse("--dry-run", dir.toString(), dir.resolve("a.json").toString());

        assertTrue(o.dryRun());
        assertEquals(EnumSet.allOf(EventType.class), o.types());
        assertEquals(List.of("2024-01-01-10.json.gz", "2024-01-01-9.json.gz", "a.json", "b.jsonl"),
                o.files().stream().map(f -> f.getFileName().toString()).toList());
    }

    @Test
    void typesAreValidated() throws Exception {
        Path f = Files.writeString(dir.resolve("x.json"), "");
        assertEquals(EnumSet.of(EventType.WatchEvent, EventType.IssuesEvent),
                BackfillCommand.parse("--types", "WatchEvent, IssuesEvent", f.toString()).types());
        assertEquals(EnumSet.of(EventType.PullRequestEvent), BackfillCommand.parse("--types=PullRequestEvent", f.toString()).types());
        assertTrue(usageError("--types", "PushEvent", f.toString()).startsWith("unknown event type 'PushEvent'"));
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
}
