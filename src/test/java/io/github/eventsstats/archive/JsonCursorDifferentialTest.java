package io.github.eventsstats.archive;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eventsstats.event.EventMapper;
import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.EventType;
import io.github.eventsstats.event.GitHubNames;
import io.github.eventsstats.event.JsonCursor;
import io.github.eventsstats.event.TypeSelection;
import org.junit.jupiter.api.Test;

import java.time.InstantSource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The backfill's reading of a line (the line pass's UTF-8 check, then the event mapper's cursor)
 * against Jackson's, on generated GH Archive events and on thousands of randomly damaged copies:
 * the same lines are accepted and refused, and accepted events map to the rows Jackson's tree
 * gives.
 */
class JsonCursorDifferentialTest {

    private static final ObjectMapper JACKSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS); // a line is one event, nothing after it
    private static final byte[] NOISE = "{}[]\",:\\ 0-9.eEtrufalsn\u0001x".getBytes(StandardCharsets.UTF_8);
    private final EventMapper mapper = new EventMapper(TypeSelection.EVERY, InstantSource.system());
    private final LineScanner utf8 = new LineScanner(TypeSelection.EVERY, null);

    @Test
    void acceptsAndMapsExactlyWhatJacksonDoes() throws Exception {
        ArchiveGenerator events = new ArchiveGenerator(11, Instant.parse("2024-03-04T05:00:00Z"), 1, 300, "diff-owner");
        Random random = new Random(5);
        int refused = 0;
        while (events.hasNext()) {
            byte[] line = events.next().json().getBytes(StandardCharsets.UTF_8);
            compare(line);
            for (int k = 0; k < 20; k++) {
                refused += compare(damage(line, random)) ? 0 : 1;
            }
        }
        // The damage is meant to break most copies; a test that refuses nothing checks little.
        if (refused < 1000) {
            fail("only " + refused + " damaged lines were refused");
        }
    }

    /** Whether both accepted the line; fails when only one of them does, or the rows differ. */
    private boolean compare(byte[] line) throws Exception {
        JsonNode tree;
        try {
            tree = JACKSON.readTree(line);
            if (tree == null || !tree.isObject()) {
                tree = null;
            }
        } catch (Exception e) {
            tree = null;
        }
        EventMapper.Mapped mapped;
        utf8.lineEnd(line, 0, line.length);
        try {
            // The cursor leaves skipped strings' UTF-8 to the line pass, which checks every byte.
            mapped = utf8.invalid < 0 && line.length > 0 && line[0] == '{' ? mapper.read(line, 0, line.length) : null;
        } catch (JsonCursor.MalformedJsonException e) {
            mapped = null;
        }
        String text = new String(line, StandardCharsets.UTF_8);
        assertEquals(tree != null, mapped != null, (tree != null ? "only Jackson accepts: " : "only we accept: ") + text);
        if (tree != null) {
            assertEquals(expectedRow(tree), mapped.row(), text);
        }
        return tree != null;
    }

    /** The row as Jackson's tree has it, by the mapper's rules. */
    private static EventRow expectedRow(JsonNode e) {
        String type = e.path("type").isTextual() ? e.path("type").asText() : null;
        long id = id(e.path("id"));
        String repo = e.path("repo").path("name").isTextual() ? e.path("repo").path("name").asText() : null;
        Instant at = e.path("created_at").isTextual() ? parse(e.path("created_at").asText()) : null;
        String login = e.path("actor").path("login").isTextual() ? e.path("actor").path("login").asText() : "";
        // What the mapper sets aside (its own tests check these rules; here they only keep the oracle in step).
        if (type == null || !GitHubNames.eventType(type) || id < 0 || repo == null || repo.isEmpty()
                || !GitHubNames.fullName(repo) || !login.isEmpty() && !GitHubNames.login(login) || at == null
                || at.isBefore(Instant.parse("2008-01-01T00:00:00Z")) || at.isAfter(Instant.now().plusSeconds(300))) {
            return null;
        }
        JsonNode payload = e.path("payload");
        String action = text(payload.path("action"));
        EventRow.Payload fields = EventRow.Payload.NONE;
        if (payload.isObject()) {
            boolean merged = type.equals(EventType.PULL_REQUEST) && (action.equals("merged")
                    || (action.equals("closed") && payload.path("pull_request").path("merged").asBoolean(false)
                    && payload.path("pull_request").path("merged").isBoolean()));
            action = merged ? "merged" : action;
            long number = uint32(id(payload.path("number")));
            for (String holder : new String[] {"pull_request", "issue", "discussion"}) {
                number = number == 0 ? uint32(id(payload.path(holder).path("number"))) : number;
            }
            long size = id(payload.path("size"));
            fields = new EventRow.Payload(number, merged, Math.max(0, id(payload.path("push_id"))),
                    text(payload.path("ref")), text(payload.path("head")), text(payload.path("before")),
                    size < 0 ? -1 : Math.min(size, 0xFFFF_FFFFL), text(payload.path("ref_type")),
                    text(payload.path("full_ref")), text(payload.path("release").path("tag_name")),
                    Math.max(0, id(payload.path("forkee").path("id"))), text(payload.path("forkee").path("full_name")),
                    Math.max(0, id(payload.path("comment").path("id"))), text(payload.path("review").path("state")),
                    text(payload.path("member").path("login")));
        }
        return new EventRow(id, type, Math.max(0, id(e.path("repo").path("id"))), repo,
                Math.max(0, id(e.path("actor").path("id"))), login, action, at, fields);
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.asText() : "";
    }

    private static long uint32(long v) {
        return v < 0 || v > 0xFFFF_FFFFL ? 0 : v;
    }

    private static long id(JsonNode n) {
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong() < 0 ? -1 : n.asLong();
        }
        if (n.isTextual()) {
            try {
                long v = Long.parseLong(n.asText());
                return v < 0 ? -1 : v;
            } catch (NumberFormatException ex) {
                return -1;
            }
        }
        return -1;
    }

    private static Instant parse(String s) {
        try {
            return Instant.parse(s);
        } catch (RuntimeException ex) {
            return null;
        }
    }

    /**
     * A copy with one byte changed, inserted or deleted, the line cut short, or a byte of noise
     * put just before a closing bracket (where a trailing comma would be).
     */
    private static byte[] damage(byte[] line, Random random) {
        int at = random.nextInt(line.length);
        byte noise = NOISE[random.nextInt(NOISE.length)];
        int kind = random.nextInt(5);
        if (kind == 4) {
            for (int i = at; i < line.length; i++) {
                if (line[i] == '}' || line[i] == ']') {
                    at = i;
                    kind = 1;
                    break;
                }
            }
        }
        return switch (kind) {
            case 0 -> {
                byte[] b = line.clone();
                b[at] = noise;
                yield b;
            }
            case 1 -> {
                byte[] b = new byte[line.length + 1];
                System.arraycopy(line, 0, b, 0, at);
                b[at] = noise;
                System.arraycopy(line, at, b, at + 1, line.length - at);
                yield b;
            }
            case 2 -> {
                byte[] b = new byte[line.length - 1];
                System.arraycopy(line, 0, b, 0, at);
                System.arraycopy(line, at + 1, b, at, line.length - at - 1);
                yield b;
            }
            case 3 -> java.util.Arrays.copyOf(line, at);
            default -> line.clone(); // no bracket after the spot: unchanged
        };
    }
}
