package io.github.eventsstats.github;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eventsstats.JsonFiles;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/** Reads and writes the poll state file: atomic writes, and a corrupt file is moved aside, not fatal. */
public final class PollStateStore {

    private static final Logger LOG = Logger.getLogger(PollStateStore.class);

    private final Path file;
    private final ObjectMapper json;

    public PollStateStore(Path file, ObjectMapper json) {
        this.file = file;
        this.json = json;
    }

    public Path file() {
        return file;
    }

    public PollState load() {
        if (!Files.exists(file)) {
            return new PollState();
        }
        try {
            PollState state = json.readValue(file.toFile(), PollState.class);
            if (state == null) {
                throw new IOException("empty file");
            }
            return state;
        } catch (IOException | RuntimeException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + Instant.now().getEpochSecond());
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                LOG.errorf("poll state file %s is unreadable and cannot be moved aside: %s", file, moveFailed.getMessage());
            }
            LOG.warnf("poll state file %s was unreadable (%s); moved it to %s and starting fresh",
                    file, e.getMessage(), aside.getFileName());
            return new PollState();
        }
    }

    /** Atomic: a crash leaves the old or the new file, whole. */
    public void save(PollState state) {
        try {
            JsonFiles.writeAtomically(json, file, state);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write poll state file " + file, e);
        }
    }
}
