package io.github.eventsstats.archive;

import io.github.eventsstats.event.EventType;
import io.github.eventsstats.event.TypeSelection;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LineScannerTest {

    private final LineScanner scanner = new LineScanner(TypeSelection.DEFAULTS, null);

    private int invalidAt(byte[] line) {
        scanner.lineEnd(line, 0, line.length);
        return scanner.invalid;
    }

    private String unkept(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return scanner.unkeptType(b, 0, b.length);
    }

    @Test
    void findsTheLineEndPastAsciiAndMultiByteText() {
        byte[] b = "0123456789 café 日本語 🚀 abcdefghijklmnop\nnext".getBytes(StandardCharsets.UTF_8);
        assertEquals(indexOf(b, '\n'), scanner.lineEnd(b, 0, b.length));
        assertEquals(-1, scanner.invalid);
        assertEquals(b.length, scanner.lineEnd(b, indexOf(b, '\n') + 1, b.length));
    }

    @Test
    void reportsTheFirstByteThatIsNotUtf8() {
        assertEquals(9, invalidAt(bytes("abcdefghi", 0xFF, 'x')));
        assertEquals(1, invalidAt(bytes("a", 0xC0, 0x80))); // overlong
        assertEquals(1, invalidAt(bytes("a", 0xED, 0xA0, 0x80))); // surrogate
        assertEquals(1, invalidAt(bytes("a", 0xE6, 0x97))); // cut short at the end
        assertEquals(0, invalidAt(bytes("", 0x80, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h')));
        assertEquals(-1, invalidAt("ok ü € 𝄞".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsUnkeptTypesFromGhArchiveLineStarts() {
        assertEquals("PushEvent", unkept("{\"id\":\"123\",\"type\":\"PushEvent\",\"actor\":{}}"));
        assertEquals("CreateEvent", unkept("{\"id\":123,\"type\":\"CreateEvent\"}"));
        assertNull(unkept("{\"id\":\"123\",\"type\":\"WatchEvent\"}"), "kept types are parsed");
        assertNull(unkept("{\"type\":\"PushEvent\",\"id\":\"1\"}"), "other layouts are parsed");
        assertNull(unkept("{\"id\":\"12x\",\"type\":\"PushEvent\"}"));
        assertNull(unkept("{\"id\":\"1\",\"type\":\"Push\\\"Event\"}"));
        assertEquals("PushEvent", unkept("{\"id\":\"1\",\"type\":\"PushEvent\"}"), "the cached name is reused");
    }

    @Test
    void aTypeOutsideTheKeptSetIsUnkept() {
        LineScanner onlyWatch = new LineScanner(TypeSelection.of(EventType.WATCH), null);
        byte[] b = "{\"id\":\"5\",\"type\":\"IssuesEvent\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals("IssuesEvent", onlyWatch.unkeptType(b, 0, b.length));
    }

    private static byte[] bytes(String prefix, int... more) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] b = java.util.Arrays.copyOf(p, p.length + more.length);
        for (int i = 0; i < more.length; i++) {
            b[p.length + i] = (byte) more[i];
        }
        return b;
    }

    private static int indexOf(byte[] b, int c) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
