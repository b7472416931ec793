package io.github.eventsstats.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class JsonCursorTest {

    private static JsonCursor cursor(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return new JsonCursor(b, 0, b.length);
    }

    private static byte[][] names(String... names) {
        byte[][] b = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            b[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return b;
    }

    private static void skipAll(String json) throws JsonCursor.MalformedJsonException {
        JsonCursor c = cursor(json);
        c.skipValue();
        if (!c.atEnd()) {
            throw new JsonCursor.MalformedJsonException("text after the value");
        }
    }

    @Test
    void oneLineDropsTheWhitespaceBetweenTokensOfAMultiLineValueAndKeepsStringsAsSent() {
        String pretty = "{\n  \"a\" : [ 1,\t2 ],\r\n  \"s\": \"x \\\" \\\\ y\\u00e9 \\n\"\n}";
        byte[] bytes = ("[" + pretty + "]").getBytes(StandardCharsets.UTF_8);
        assertEquals("{\"a\":[1,2],\"s\":\"x \\\" \\\\ y\\u00e9 \\n\"}",
                new String(JsonCursor.oneLine(bytes, 1, bytes.length - 1), StandardCharsets.UTF_8));
        byte[] flat = "{\"a\": 1}".getBytes(StandardCharsets.UTF_8);
        assertEquals("{\"a\": 1}", new String(JsonCursor.oneLine(flat, 0, flat.length), StandardCharsets.UTF_8),
                "a value on one line stays byte for byte");
    }

    @Test
    void readsFieldsAndSkipsEverythingElse() throws Exception {
        JsonCursor c = cursor("""
                { "skip" : {"a":[1, -2.5e+3, true, false, null, "x\\"y", {}], "b": []},
                  "name":"caf\\u00e9 \\"q\\" \\\\ \\/ \\n", "id" : "123", "n": 456 } """);
        byte[][] names = names("id", "name", "n");
        c.beginObject();
        assertEquals(JsonCursor.OTHER, c.nextField(names));
        c.skipValue();
        assertEquals(1, c.nextField(names));
        assertEquals("café \"q\" \\ / \n", c.readString());
        assertEquals(0, c.nextField(names));
        assertEquals(123, c.readLong());
        assertEquals(2, c.nextField(names));
        assertEquals(456, c.readLong());
        assertEquals(JsonCursor.END, c.nextField(names));
        assertTrue(c.atEnd());
    }

    @Test
    void findsStringEndsWhereverQuotesEscapesAndControlCharactersFall() throws Exception {
        ObjectMapper jackson = new ObjectMapper();
        for (int len = 0; len < 40; len++) {
            for (int at = 0; at <= len; at++) {
                String plain = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH".substring(0, len);
                for (String inserted : List.of("\\\"", "\\\\", "\\u00e9", "é", "\\n")) {
                    String json = "\"" + plain.substring(0, at) + inserted + plain.substring(at) + "\"";
                    JsonCursor c = cursor(json + " ");
                    assertEquals(jackson.readValue(json, String.class), c.readString(), json);
                    assertTrue(c.atEnd(), json);
                }
                String broken = "\"" + plain.substring(0, at) + "\t" + plain.substring(at) + "\"";
                assertThrows(JsonCursor.MalformedJsonException.class, () -> cursor(broken).readString(), broken);
                String open = "\"" + plain;
                assertThrows(JsonCursor.MalformedJsonException.class, () -> cursor(open).readString(), open);
            }
        }
    }

    @Test
    void decodesMultiByteUtf8AndMatchesEscapedNames() throws Exception {
        JsonCursor c = cursor("{\"\\u006eame\":\"日本語 ✓ 😀\"}");
        c.beginObject();
        assertEquals(1, c.nextField(names("id", "name")));
        assertEquals("日本語 ✓ 😀", c.readString());
    }

    @Test
    void idsThatAreNotNonNegativeIntegersReadAsMinusOne() throws Exception {
        for (String v : List.of("-1", "1.5", "1e3", "99999999999999999999", "\"x1\"", "null", "[1]", "{\"a\":1}")) {
            JsonCursor c = cursor(v);
            assertEquals(-1, c.readLong(), v);
            assertTrue(c.atEnd(), v + " is consumed");
        }
    }

    @Test
    void acceptsWhatJacksonAccepts() throws Exception {
        ObjectMapper jackson = new ObjectMapper();
        for (String ok : List.of("0", "-0", "1.0e-5", "\"\"", "[]", "{}", "[[[]]]", " {\"a\" : [ 1 , 2 ] } ",
                "\"\\ud83d\\ude00\"", "{\"a\":{\"b\":{\"c\":null}}}")) {
            jackson.readTree(ok); // the test's own check: each is JSON
            skipAll(ok);
        }
    }

    @Test
    void rejectsMalformedJsonWithTheColumn() {
        ObjectMapper jackson = new ObjectMapper();
        for (String bad : List.of("{\"a\":1,}", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "[1,]", "[1 2]", "{\"a\":01}",
                "{\"a\":1.}", "{\"a\":-}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":\"x}", "{\"a\":\"\\x\"}",
                "{\"a\":\"\\u12\"}", "{\"a\":\"tab\there\"}", "{a:1}", "{\"a\":1", "[", "", "{\"a\":[1,{\"b\":]}}",
                "{\"a\":'x'}")) {
            try {
                jackson.readTree(bad + " ");
                if (!bad.isEmpty()) {
                    fail("the test's own check: " + bad + " should not be JSON");
                }
            } catch (Exception expected) {
                // malformed, as meant
            }
            JsonCursor.MalformedJsonException e = assertThrows(JsonCursor.MalformedJsonException.class,
                    () -> skipAll(bad), bad);
            assertTrue(e.getMessage().contains("column") || e.getMessage().contains("end of input"), e.getMessage());
        }
    }

    @Test
    void rejectsNonUtf8InADecodedString() {
        byte[] b = {'"', 'a', (byte) 0xC3, '"'};
        JsonCursor c = new JsonCursor(b, 0, b.length);
        JsonCursor.MalformedJsonException e = assertThrows(JsonCursor.MalformedJsonException.class, c::readString);
        assertTrue(e.getMessage().contains("non-UTF-8"), e.getMessage());
    }

    @Test
    void skipsNestingUpToTheLimitAndMatchesBracketKinds() throws Exception {
        skipAll("[{\"a\":".repeat(128) + "1" + "}]".repeat(128));
        skipAll("{\"a\":[[],{},[{}],{\"b\":[]}],\"c\":{\"d\":{\"e\":[1,[2,[3]]]}}}");
        assertThrows(JsonCursor.MalformedJsonException.class, () -> skipAll("[{\"a\":[1}]}"));
        assertThrows(JsonCursor.MalformedJsonException.class, () -> skipAll("{\"a\":{\"b\":1]}"));
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "[{\"a\":".repeat(200) + "1" + "}]".repeat(200);
        JsonCursor.MalformedJsonException e = assertThrows(JsonCursor.MalformedJsonException.class, () -> skipAll(deep));
        assertTrue(e.getMessage().startsWith("nested too deeply"), e.getMessage());
    }

    @Test
    void readsWithinTheGivenRangeOnly() throws Exception {
        byte[] b = "xx{\"a\":\"b\"}{\"c\":1}".getBytes(StandardCharsets.US_ASCII);
        JsonCursor c = new JsonCursor(b, 2, 9);
        c.skipValue();
        assertTrue(c.atEnd());
        assertEquals(11, c.position());
        JsonCursor cut = new JsonCursor(b, 2, 8);
        assertThrows(JsonCursor.MalformedJsonException.class, cut::skipValue);
    }
}
