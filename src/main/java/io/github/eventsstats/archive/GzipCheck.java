package io.github.eventsstats.archive;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a downloaded file is whole: every gzip member inflates to its end and its trailer matches. */
final class GzipCheck {

    private GzipCheck() {
    }

    /** Null when the gzip data is complete, else what is wrong with it. */
    static String problem(Path file) throws IOException {
        byte[] buf = new byte[1 << 20];
        try (InputStream in = IsalGzip.open(Files.newInputStream(file), true)) {
            while (in.read(buf) >= 0) {
                // inflating is the check
            }
            return null;
        } catch (EOFException e) {
            return "truncated";
        } catch (IOException e) {
            if (HourDownloader.isDiskFull(e)) {
                throw e;
            }
            return e.getMessage() != null ? e.getMessage() : e.toString();
        }
    }
}
