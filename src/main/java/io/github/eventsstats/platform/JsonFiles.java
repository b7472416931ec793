package io.github.eventsstats.platform;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** The service's own JSON files (poll state, ingest backlog) under DATA_DIR. */
public final class JsonFiles {

    private static final Logger LOG = Logger.getLogger(JsonFiles.class);

    private JsonFiles() {
    }

    /**
     * Reads {@code file} as a {@code type}, or {@code fresh} when it does not exist. An unreadable
     * file is moved aside (to {@code <name>.corrupt-<epoch second>}) with a warning, not fatal:
     * {@code what} names it in the log.
     */
    public static <T> T readOrMoveAside(ObjectMapper json, Path file, Class<T> type, Supplier<T> fresh, String what) {
        if (!Files.exists(file)) {
            return fresh.get();
        }
        try {
            T value = json.readValue(file.toFile(), type);
            if (value == null) {
                throw new IOException("empty file");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + Instant.now().getEpochSecond());
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                LOG.errorf("%s %s is unreadable and cannot be moved aside: %s", what, file, Printable.of(moveFailed.getMessage()));
            }
            LOG.warnf("%s %s was unreadable (%s); moved it to %s and starting fresh", what, file, Printable.of(e.getMessage()),
                    aside.getFileName());
            return fresh.get();
        }
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
