package io.github.eventsstats.embedded;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What of a request reaches chDB. chDB is clickhouse-local: its client half runs every statement of a
 * text one after the other, writes {@code INTO OUTFILE} and reads {@code FROM INFILE} itself, and its
 * {@code file()} function reads any path. The engine's grants ({@link EngineAccess}) cannot stop those,
 * so the front does, with ClickHouse's own parser: {@code formatQuerySingleLine} of the text, passed as a
 * query parameter (so it is parsed, never run), gives the one statement the parser reads in it, in
 * canonical form, or the parser's error.
 * <ul>
 * <li>One statement. A second one is the parser's own "Multi-statements are not allowed". Rows that
 * follow an INSERT in the text are data to the parser, but chDB's splitter ends them at an empty line or
 * a semicolon and runs what follows: they are moved to a file the INSERT reads {@code FROM INFILE}.</li>
 * <li>Refused, from the canonical text with its string literals blanked: {@code INTO OUTFILE},
 * {@code FROM INFILE}, {@code file(…)}, {@code disk(…)} (a disk defined in a query reaches a URL),
 * {@code executable(…)} (no grant covers it), engines other than {@link #TABLE_ENGINES},
 * {@code ATTACH} (from any path); and {@code SET}, {@code USE} and temporary tables, which would outlive
 * the request on its connection.</li>
 * </ul>
 * Verdicts of short texts are kept (the service sends the same few texts, with parameters), so most
 * requests cost no parse.
 */
final class StatementGate {

    static final int SYNTAX_ERROR = 62;
    static final int ACCESS_DENIED = 497;
    /** ClickHouse's default max_query_size: the most of a text the parser reads. Rows after an INSERT may go on. */
    static final int PARSE_LIMIT = 256 << 10;
    private static final int CACHED_TEXT = 16 << 10;
    private static final int CACHE_ENTRIES = 512;
    /** Places in a text where an INSERT's format name could end, tried before giving up. */
    private static final int MAX_CANDIDATES = 16;
    private static final byte[] FORMAT_QUERY = ("SELECT formatQuerySingleLine({q:String}) SETTINGS max_query_size = "
            + 2 * PARSE_LIMIT).getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] Q = {"q".getBytes(StandardCharsets.US_ASCII)};
    private static final Pattern INSERT_WITH_ROWS = Pattern.compile("INSERT INTO .* FORMAT ([A-Za-z0-9_]+)");
    private static final Pattern FILE_CALL = Pattern.compile("\\bfile\\(");
    private static final Pattern DISK_CALL = Pattern.compile("(?i)\\bdisk\\(");
    /** executable() runs a script of DATA_DIR/clickhouse/user_scripts; no grant covers it. */
    private static final Pattern EXECUTABLE_CALL = Pattern.compile("(?i)\\bexecutable(pool)?\\(");
    /** How the formatter writes every table, view and database engine a statement names. */
    private static final Pattern ENGINE_CLAUSE = Pattern.compile("\\bENGINE = ([A-Za-z0-9_]+)");
    /**
     * The table and database engines a statement may name: those keeping their data in the engine's own
     * directory. The rest take a path, a host or a script (FileLog, EmbeddedRocksDB's directory, Executable,
     * Kafka, Filesystem…); the grants stop some of them, not all (chDB ignores table_engines_require_grant).
     */
    static final Set<String> TABLE_ENGINES = Set.of("MergeTree", "ReplacingMergeTree", "AggregatingMergeTree",
            "SummingMergeTree", "CollapsingMergeTree", "VersionedCollapsingMergeTree", "CoalescingMergeTree",
            "Memory", "Null", "Log", "TinyLog", "StripeLog", "Buffer", "Merge", "Join", "Set", "Atomic");
    private static final Pattern IN_SCOPE = Pattern.compile(": In scope SELECT formatQuerySingleLine\\(.*", Pattern.DOTALL);

    /** What runs: the statement, and the file it reads its rows from (deleted on close), or null. */
    record Statement(byte[] sql, Path infile) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (infile != null) {
                Files.deleteIfExists(infile);
            }
        }
    }

    /**
     * What the parser made of a text: refused (with the error code to answer), or its canonical form and,
     * for an INSERT whose rows follow it, where they start.
     */
    private record Verdict(String refusal, int code, Rows rows) {
        static Verdict refused(int code, String why) {
            return new Verdict(why, code, null);
        }
    }

    /**
     * An INSERT that takes its rows from the request.
     *
     * @param dataStart where its rows start in the text (ClickHouse's rule: after the format name, and after
     *                  the first line break if only blanks come before it)
     * @param fromFile  the INSERT reading them from a file instead ({@code %s} for the quoted path), or null
     * @param notFromFile why it cannot: rows in the text, SETTINGS before them
     */
    private record Rows(int dataStart, String fromFile, String notFromFile) {
    }

    private final Map<String, Verdict> verdicts = Collections.synchronizedMap(
            new LinkedHashMap<>(CACHE_ENTRIES, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Verdict> eldest) {
                    return size() > CACHE_ENTRIES;
                }
            });

    /**
     * The statement to run for a request, on connection {@code c}, which the caller holds.
     *
     * @throws EngineRequest.Invalid the request is refused; its HTTP status, code and message say why
     */
    Statement admit(ConnectionPool.Connection c, EngineRequest request) throws EngineRequest.Invalid, IOException {
        byte[] body = request.body();
        if (request.query() == null) {
            return admit(c, body);
        }
        byte[] query = request.query().getBytes(StandardCharsets.UTF_8);
        if (body.length == 0) {
            return admit(c, query);
        }
        // The usual insert: the statement in `query`, its rows the whole body.
        Verdict v = verdict(c, query);
        if (v.refusal() == null && v.rows() != null && blank(query, v.rows().dataStart())) {
            return fromFile(v.rows(), body, 0);
        }
        byte[] text = new byte[query.length + 1 + body.length]; // as a server reads it: the body continues `query`
        System.arraycopy(query, 0, text, 0, query.length);
        text[query.length] = '\n';
        System.arraycopy(body, 0, text, query.length + 1, body.length);
        return admit(c, text);
    }

    private Statement admit(ConnectionPool.Connection c, byte[] text) throws EngineRequest.Invalid, IOException {
        Verdict v = verdict(c, text);
        if (v.refusal() != null) {
            throw new EngineRequest.Invalid(v.code() == ACCESS_DENIED ? 403 : 400, v.code(), v.refusal());
        }
        if (v.rows() != null && !blank(text, v.rows().dataStart())) {
            return fromFile(v.rows(), text, v.rows().dataStart());
        }
        return new Statement(text, null);
    }

    private static Statement fromFile(Rows rows, byte[] data, int from) throws EngineRequest.Invalid, IOException {
        if (rows.fromFile() == null) {
            throw new EngineRequest.Invalid(400, EngineRequest.BAD_ARGUMENTS, rows.notFromFile());
        }
        // From a file the engine reads every row; inline, its splitter would end them early and run the rest.
        Path file = Files.createTempFile("engine-insert-", ".data");
        try {
            try (var out = Files.newOutputStream(file)) {
                out.write(data, from, data.length - from);
            }
            String path = file.toString().replace("\\", "\\\\").replace("'", "\\'");
            return new Statement(rows.fromFile().replace("%s", "'" + path + "'").getBytes(StandardCharsets.UTF_8), file);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    private Verdict verdict(ConnectionPool.Connection c, byte[] text) {
        String key = text.length <= CACHED_TEXT ? new String(text, StandardCharsets.ISO_8859_1) : null;
        Verdict v = key == null ? null : verdicts.get(key);
        if (v == null) {
            v = judge(c, text);
            if (key != null) {
                verdicts.put(key, v);
            }
        }
        return v;
    }

    private static Verdict judge(ConnectionPool.Connection c, byte[] text) {
        int parsed = Math.min(text.length, PARSE_LIMIT);
        String canonical;
        try {
            canonical = canonical(c, text, parsed);
        } catch (NotParsed e) {
            return Verdict.refused(SYNTAX_ERROR, e.getMessage());
        }
        String plain = withoutLiterals(canonical);
        String refused = refusal(plain);
        if (refused != null) {
            return Verdict.refused(ACCESS_DENIED, refused + " is turned off in the embedded engine: it would reach"
                    + " files, the network or the engine's session as the service's user; a ClickHouse server set as"
                    + " CLICKHOUSE_URL has its own rules for it. (ACCESS_DENIED)");
        }
        Rows rows = null;
        Matcher insert = INSERT_WITH_ROWS.matcher(canonical);
        if (plain.startsWith("INSERT INTO ") && insert.matches()) {
            rows = rows(c, text, parsed, canonical, insert.group(1), plain);
            if (rows == null) {
                return Verdict.refused(SYNTAX_ERROR, "Cannot tell where the rows of this INSERT start; send the"
                        + " statement in the `query` parameter and the rows as the body");
            }
        }
        if (text.length > parsed && (rows == null || rows.dataStart() > parsed)) {
            return Verdict.refused(SYNTAX_ERROR, "Max query size exceeded: a statement here is at most "
                    + (PARSE_LIMIT >> 10) + " KiB; an INSERT's rows may follow it, or come as the body");
        }
        return new Verdict(null, 0, rows);
    }

    /** What of the canonical text (literals blanked) the engine does not run, or null. */
    static String refusal(String plain) {
        if (plain.contains("INTO OUTFILE")) {
            return "INTO OUTFILE";
        }
        if (plain.contains("FROM INFILE")) {
            return "FROM INFILE";
        }
        if (FILE_CALL.matcher(plain).find()) {
            return "file()";
        }
        if (DISK_CALL.matcher(plain).find()) {
            return "A disk defined in a query, disk(),";
        }
        Matcher engine = ENGINE_CLAUSE.matcher(plain);
        while (engine.find()) {
            if (!TABLE_ENGINES.contains(engine.group(1))) {
                return "The " + engine.group(1) + " engine";
            }
        }
        if (EXECUTABLE_CALL.matcher(plain).find()) {
            return "executable()";
        }
        if (plain.startsWith("ATTACH ")) {
            return "ATTACH";
        }
        if (plain.startsWith("SET ") || plain.startsWith("USE ") || plain.startsWith("CREATE TEMPORARY ")) {
            return plain.substring(0, plain.indexOf(' ')) + " (pass settings and the database as URL parameters;"
                    + " the engine keeps no session between requests)";
        }
        return null;
    }

    /**
     * Where the rows of an INSERT start: the end of its format name in the text, found as the shortest prefix
     * the parser reads as the same statement; the name's places in the text are the only candidates.
     */
    private static Rows rows(ConnectionPool.Connection c, byte[] text, int parsed, String canonical, String format,
                             String plain) {
        byte[] name = format.getBytes(StandardCharsets.US_ASCII);
        int tried = 0;
        int end = -1;
        for (int i = 0; i + name.length <= parsed && end < 0; i++) {
            if (startsWithIgnoreCase(text, i, name) && !identifierByte(text, i - 1)
                    && !identifierByte(text, i + name.length)) {
                if (++tried > MAX_CANDIDATES) {
                    return null;
                }
                try {
                    if (canonical(c, text, i + name.length).equals(canonical)) {
                        end = i + name.length;
                    }
                } catch (NotParsed e) {
                    // not the end of the statement: try the next place
                }
            }
        }
        if (end < 0) {
            return null;
        }
        int dataStart = format.equalsIgnoreCase("Values") ? end : afterFormat(text, end);
        String head = canonical.substring(0, canonical.length() - (" FORMAT " + format).length());
        String fromFile = head + " FROM INFILE %s FORMAT " + format;
        String notFromFile = null;
        if (withoutLiterals(head).contains(" SETTINGS ")) {
            fromFile = null;
            notFromFile = "An INSERT whose rows follow it in the request takes its settings as URL parameters here,"
                    + " not in a SETTINGS clause";
        } else {
            try {
                canonical(c, fromFile.replace("%s", "'/dev/null'").getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE);
            } catch (NotParsed e) {
                fromFile = null;
                notFromFile = "Rows after this INSERT cannot be read: " + e.getMessage();
            }
        }
        return new Rows(dataStart, fromFile, notFromFile);
    }

    /** ClickHouse's rule: data starts after the first line break, if only blanks come before it. */
    private static int afterFormat(byte[] text, int at) {
        int i = at;
        while (i < text.length && (text[i] == ' ' || text[i] == '\t' || text[i] == '\f')) {
            i++;
        }
        if (i < text.length && text[i] == '\r') {
            i++;
        }
        if (i < text.length && text[i] == '\n') {
            i++;
        }
        return i;
    }

    private static boolean blank(byte[] text, int from) {
        for (int i = from; i < text.length; i++) {
            if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r' && text[i] != '\f') {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithIgnoreCase(byte[] text, int at, byte[] ascii) {
        for (int k = 0; k < ascii.length; k++) {
            byte b = text[at + k];
            if (b != ascii[k] && Character.toLowerCase((char) b) != Character.toLowerCase((char) ascii[k])) {
                return false;
            }
        }
        return true;
    }

    /** A byte that continues an identifier or keyword: the name found is part of a longer word. */
    private static boolean identifierByte(byte[] text, int at) {
        if (at < 0 || at >= text.length) {
            return false;
        }
        byte b = text[at];
        return b < 0 || b == '_' || b == '$' || b == '`' || Character.isLetterOrDigit((char) b);
    }

    /** The statement ClickHouse's parser reads in {@code text[0, length)}, formatted on one line. */
    private static String canonical(ConnectionPool.Connection c, byte[] text, int length) throws NotParsed {
        Chdb.Result r = c.query(FORMAT_QUERY, "RawBLOB", Q, new byte[][] {escaped(text, Math.min(length, text.length))});
        try {
            if (r.error() != null) {
                throw new NotParsed(IN_SCOPE.matcher(r.error().strip()).replaceFirst(" (SYNTAX_ERROR)"));
            }
            return new String(r.output().toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        } finally {
            c.free(r);
        }
    }

    /** A parameter value in the engine's escaped form, where a backslash escapes and a line break would end it. */
    static byte[] escaped(byte[] text, int length) {
        var out = new java.io.ByteArrayOutputStream(length + 16);
        for (int i = 0; i < length; i++) {
            byte b = text[i];
            switch (b) {
                case '\\' -> out.write('\\');
                case '\n' -> { out.write('\\'); b = 'n'; }
                case '\r' -> { out.write('\\'); b = 'r'; }
                case '\t' -> { out.write('\\'); b = 't'; }
                case 0 -> { out.write('\\'); b = '0'; }
                default -> { }
            }
            out.write(b);
        }
        return out.toByteArray();
    }

    /**
     * The canonical text with every string literal emptied and identifiers unquoted: what is left is the
     * formatter's keywords, names and punctuation, so a word found in it is not text inside a string.
     */
    static String withoutLiterals(String canonical) {
        StringBuilder out = new StringBuilder(canonical.length());
        for (int i = 0; i < canonical.length(); i++) {
            char ch = canonical.charAt(i);
            if (ch == '\'' || ch == '`' || ch == '"') {
                int j = i + 1;
                while (j < canonical.length() && canonical.charAt(j) != ch) {
                    if (canonical.charAt(j) == '\\') {
                        j++;
                    }
                    if (ch != '\'' && j < canonical.length()) {
                        out.append(canonical.charAt(j));
                    }
                    j++;
                }
                if (ch == '\'') {
                    out.append("''");
                }
                i = j;
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** The parser's refusal of a text. */
    private static final class NotParsed extends Exception {
        NotParsed(String message) {
            super(message, null, false, false);
        }
    }
}
