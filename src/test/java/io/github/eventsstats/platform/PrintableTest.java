package io.github.eventsstats.platform;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PrintableTest {

    @Test
    void controlFormatAndSeparatorCharactersAreEscapedAndTheRestOfUnicodeStaysReadable() {
        assertEquals("a\\u000D\\u000A2026 ERROR forged", Printable.of("a\r\n2026 ERROR forged"));
        assertEquals("\\u001B[31mred\\u001B[0m", Printable.of("\u001b[31mred\u001b[0m"));
        assertEquals("evil\\u202Elive\\u2028\\u0000", Printable.of("evil\u202elive\u2028\u0000"));
        assertEquals("back\\\\slash", Printable.of("back\\slash"));
        assertEquals("Zürich, 東京 🚀", Printable.of("Zürich, 東京 🚀"));
        assertEquals("\\uD800x", Printable.of("\ud800x"), "a lone surrogate");
        assertEquals("null", Printable.of(null));
    }

    @Test
    void longTextIsCutAtTheBoundSayingHowMuchWasLeftOut() {
        assertEquals("abc...(7 more chars)", Printable.of("abcdefghij", 3));
        assertEquals(Printable.MAX + "...(".length(), Printable.of("y".repeat(10_000)).indexOf("...(") + "...(".length());
    }
}
