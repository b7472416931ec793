package io.github.eventsstats;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The service's own JSON files (poll state, ingest backlog) under DATA_DIR. */
public final class JsonFiles {

    private JsonFiles() {
    }

    /** {@code value} as JSON, written as {@link #writeAtomically(Path, byte[])} does. */
    public static void writeAtomically(ObjectMapper json, Path file, Object value) throws IOException {
        writeAtomically(file, json.writeValueAsBytes(value));
    }

    /**
     * Writes to a temp file beside {@code file}, then renames it over the old one: a crash leaves
     * the old or the new file, whole. A failed write leaves no temp file behind.
     */
    public static void writeAtomically(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, content);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
