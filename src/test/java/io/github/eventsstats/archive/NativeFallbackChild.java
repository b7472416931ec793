package io.github.eventsstats.archive;

import io.github.eventsstats.event.EventMapper;
import io.github.eventsstats.event.TypeSelection;
import io.github.eventsstats.natives.FakeLibrary;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads one archive file as the backfill does (native libraries preferred), in a process of its
 * own so that its libraries are whatever the dynamic loader finds: {@code FILE}. Prints
 * {@code read=N kept=N bad=N}, then each line the natives package logged.
 */
public final class NativeFallbackChild {

    private NativeFallbackChild() {
    }

    public static void main(String[] args) throws Exception {
        FileCounts counts = new FileCounts();
        List<FakeLibrary.Line> logged = FakeLibrary.logged(() -> {
            try {
                new EventFileReader(new EventMapper(TypeSelection.DEFAULTS, InstantSource.system()), 1 << 24)
                        .read(Path.of(args[0]), counts, row -> { }, new AtomicLong(), new AtomicLong());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        System.out.println("read=" + counts.read() + " kept=" + counts.kept() + " bad=" + counts.bad());
        logged.forEach(l -> System.out.println("log: " + l.level().getName() + " " + l.text()));
    }
}
