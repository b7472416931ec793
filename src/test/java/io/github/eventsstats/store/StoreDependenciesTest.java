package io.github.eventsstats.store;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Dependencies point one way: the embedded engine knows the store, never the other way round. */
class StoreDependenciesTest {

    private static final Path STORE = Path.of("src/main/java/io/github/eventsstats/store");

    @Test
    void noStoreSourceNamesTheEmbeddedPackage() throws IOException {
        List<Path> sources;
        try (var files = Files.list(STORE)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertFalse(sources.isEmpty(), "no sources under " + STORE.toAbsolutePath());
        List<String> offenders = sources.stream()
                .filter(p -> read(p).contains("io.github.eventsstats.embedded"))
                .map(p -> p.getFileName().toString())
                .toList();
        assertEquals(List.of(), offenders, "store must not import (or name) io.github.eventsstats.embedded");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
