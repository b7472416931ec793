package io.github.eventsstats.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The files a backfill reads: each PATH is a file, or a directory searched for archive files. */
public final class ArchiveFiles {

    private ArchiveFiles() {
    }

    static boolean isArchiveName(String name) {
        return name.endsWith(".json.gz") || name.endsWith(".json") || name.endsWith(".jsonl")
                || name.endsWith(".jsonl.gz");
    }

    /**
     * The files named or found, each once, directories' files in name order (GH Archive's names
     * sort by date within a day; order only affects progress, not the result).
     *
     * @throws UsageException for a PATH that is missing or unreadable, or a directory without archive files
     */
    public static List<Path> expand(List<String> paths) {
        Set<Path> files = new LinkedHashSet<>();
        for (String p : paths) {
            Path path = Path.of(p);
            if (!Files.exists(path)) {
                throw new UsageException(p + ": no such file or directory");
            }
            if (!Files.isReadable(path)) {
                throw new UsageException(p + ": not readable");
            }
            if (Files.isDirectory(path)) {
                List<Path> found = new ArrayList<>();
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(Files::isRegularFile).filter(f -> isArchiveName(f.getFileName().toString()))
                            .sorted().forEach(found::add);
                } catch (IOException | java.io.UncheckedIOException e) {
                    throw new UsageException(p + ": cannot list directory: " + e.getMessage());
                }
                if (found.isEmpty()) {
                    throw new UsageException(p + ": no .json, .json.gz or .jsonl files in this directory");
                }
                for (Path f : found) {
                    if (!Files.isReadable(f)) {
                        throw new UsageException(f + ": not readable");
                    }
                    files.add(f.normalize());
                }
            } else {
                files.add(path.normalize());
            }
        }
        return List.copyOf(files);
    }

    /** Bad command-line input: reported on one line, exit status 2. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
