package io.github.eventsstats.clickhouse;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SqlScriptTest {

    @Test
    void splitsOnTopLevelSemicolonsOnly() {
        SqlScript s = new SqlScript("V009__x.sql", """
                -- a comment; with a semicolon
                CREATE TABLE a (s String DEFAULT 'x;y') ENGINE = Memory;
                /* block; comment */ SELECT `odd;name`, "q;", 'it\\'s;' FROM a;
                """);
        assertEquals(List.of("CREATE TABLE a (s String DEFAULT 'x;y') ENGINE = Memory",
                "SELECT `odd;name`, \"q;\", 'it\\'s;' FROM a"), s.statements());
    }

    @Test
    void refusesAnUnterminatedQuote() {
        assertThrows(IllegalStateException.class, () -> new SqlScript("V1__x.sql", "SELECT 'oops").statements());
    }

    @Test
    void readsTheVersionFromTheFileName() {
        assertEquals(12, new SqlScript("V012__thing.sql", "").version());
        assertThrows(IllegalStateException.class, () -> new SqlScript("events.sql", "").version());
    }

    @Test
    void checksumIgnoresLineEndingsButNotContent() {
        assertEquals(new SqlScript("a", "x\ny").checksum(), new SqlScript("a", "x\r\ny").checksum());
        assertNotEquals(new SqlScript("a", "x\ny").checksum(), new SqlScript("a", "x\nz").checksum());
    }

    @Test
    void everyVersionedFileIsListedInOrder() throws IOException {
        List<String> onDisk;
        try (Stream<Path> files = Files.list(Path.of("clickhouse"))) {
            onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql")).sorted().toList();
        }
        assertEquals(onDisk, SchemaMigrator.migrationFiles());
    }
}
