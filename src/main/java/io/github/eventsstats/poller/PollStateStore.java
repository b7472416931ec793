package io.github.eventsstats.poller;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eventsstats.platform.JsonFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Reads and writes the poll state file: atomic writes, and a corrupt file is moved aside, not fatal. */
public final class PollStateStore {

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
        return JsonFiles.readOrMoveAside(json, file, PollState.class, PollState::new, "poll state file");
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
