package io.github.eventsstats.cli;

import io.github.eventsstats.archive.ArchiveGenerator;
import io.github.eventsstats.archive.Backfill;
import io.github.eventsstats.archive.BackfillRequest;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request the command line was read into reaches the application as it was read, without arguments. */
@QuarkusTest
class BackfillHandOverTest {

    @Inject
    BackfillCommand command;

    private record Run(int code, String out, String err) {
    }

    private Run execute(String... args) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = command.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), null);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theRequestReadBeforeStartIsRunAsReadAndOnlyOnce() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "backfill-hand-over-test"));
        Path file = dir.resolve("hour.json.gz");
        ArchiveGenerator.Manifest m = ArchiveGenerator.write(file, 300, 11, Instant.parse("2023-04-01T00:00:00Z"), 1, "ho");
        BackfillRequest read = BackfillCommand.parse("--dry-run", "--types", "WatchEvent", file.toString());

        BackfillCommand.handOver(read);
        Run run = execute();

        assertEquals(Backfill.OK, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("dry run, nothing written"), run.out());
        assertTrue(run.out().contains(String.format("300 read, %,d kept, 0 stored", m.byType().get("WatchEvent"))),
                "only the types read: " + run.out());
        Run again = execute();
        assertEquals(Backfill.USAGE, again.code(), "the request was taken: " + again.out());
        assertTrue(again.err().startsWith("backfill: no PATH given"), again.err());
    }
}
