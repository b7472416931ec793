package io.github.eventsstats.archive;

import io.github.eventsstats.event.TypeSelection;
import io.github.eventsstats.natives.SimdLines;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The native line pass agrees with the Java one; runs where simdjson is installed (CI installs it). */
class SimdLinesTest {

    private static SimdLines simd() {
        assumeTrue(SimdLines.NATIVE != null, "libsimdjson not installed");
        return SimdLines.NATIVE;
    }

    /** {@code text} in an array with a NUL after it, as the reader's blocks are. */
    private static byte[] block(byte[] text) {
        return Arrays.copyOf(text, text.length + 1);
    }

    @Test
    void validatesUtf8LikeTheJavaPass() {
        SimdLines simd = simd();
        LineScanner java = new LineScanner(TypeSelection.DEFAULTS, null);
        List<byte[]> cases = new ArrayList<>(List.of(
                "plain ascii".getBytes(StandardCharsets.UTF_8),
                "café 日本語 🚀 ok ü € 𝄞".getBytes(StandardCharsets.UTF_8),
                new byte[]{'a', (byte) 0xFF, 'b'},
                new byte[]{'a', (byte) 0xC0, (byte) 0x80}, // overlong
                new byte[]{'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80}, // surrogate
                new byte[]{'a', (byte) 0xE6, (byte) 0x97}, // cut short
                new byte[]{(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80})); // above U+10FFFF
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] b = "0123456789 café 日本語 🚀 abcdefghijklmnopqrstuvwxyz".repeat(3).getBytes(StandardCharsets.UTF_8);
            b[random.nextInt(b.length)] = (byte) (0x80 + random.nextInt(128));
            cases.add(b);
        }
        for (byte[] text : cases) {
            java.lineEnd(text, 0, text.length);
            assertEquals(java.invalid < 0, simd.validUtf8(block(text), text.length), new String(text, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void findsEachLineEndWithinTheBlock() {
        SimdLines simd = simd();
        byte[] text = "first line é\n\nthird\0with a NUL\nlast, no newline".getBytes(StandardCharsets.UTF_8);
        byte[] b = block(text);
        List<Integer> ends = new ArrayList<>();
        for (int pos = 0; pos < text.length; ) {
            int nl = simd.lineEnd(b, pos, text.length);
            ends.add(nl);
            pos = nl + 1;
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < text.length; i++) {
            if (text[i] == '\n') {
                expected.add(i);
            }
        }
        expected.add(text.length);
        assertEquals(expected, ends);
    }

    @Test
    void aBlockThatIsNotUtf8IsCheckedLineByLineInJava() {
        LineScanner scanner = new LineScanner(TypeSelection.DEFAULTS, simd());
        byte[] text = "good line\nbad \u00e9 line\nlast\n".getBytes(StandardCharsets.UTF_8);
        text[15] = (byte) 0xFF; // the é's second byte
        byte[] b = block(text);
        scanner.startBlock(b, text.length);
        assertEquals(9, scanner.lineEnd(b, 0, text.length));
        assertTrue(scanner.invalid < 0);
        assertEquals(21, scanner.lineEnd(b, 10, text.length));
        assertEquals(14, scanner.invalid, "the broken sequence starts at the é's first byte");
        assertEquals(26, scanner.lineEnd(b, 22, text.length));
        assertTrue(scanner.invalid < 0);
    }
}
