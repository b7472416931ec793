package io.github.eventsstats.embedded;

import com.sun.net.httpserver.Headers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Who may use the embedded engine, and what its queries may reach, as a ClickHouse server decides both:
 * one user and its password, required on every request; requests from a browser page of another
 * origin, or to a host name that is not the loopback address (DNS rebinding), refused; and the
 * engine's own user without the grants that reach files and the network ({@link #writeConfig}).
 */
public final class EngineAccess {

    static final int AUTHENTICATION_FAILED = 516;
    /**
     * What the engine's queries may do, as ClickHouse's grants: no source privileges (FILE, URL, S3, HDFS,
     * REMOTE, MYSQL…), which every table function and table engine that reaches a file or the network
     * needs; no dictionaries, functions, backups, named collections or introspection; of SYSTEM, merges only.
     */
    static final String GRANTS = "GRANT SHOW, SELECT, INSERT, ALTER, CREATE DATABASE, CREATE TABLE, CREATE VIEW,"
            + " DROP DATABASE, DROP TABLE, DROP VIEW, TRUNCATE, OPTIMIZE, KILL QUERY, SYSTEM MERGES ON *.*";
    /**
     * Settings that name a file or a host, fixed at their defaults in the engine user's profile (a constraint
     * no query, SETTINGS clause or URL parameter may change): a server confines their paths to
     * format_schema_path and user_files_path, clickhouse-local (which chDB is) to nothing. Measured: with
     * format_template_resultset a query showed /etc/passwd in its error, and output_format_schema wrote a
     * file where it was told.
     */
    static final List<String> FIXED_SETTINGS = List.of("format_schema", "format_schema_source", "output_format_schema",
            "format_template_resultset", "format_template_row", "input_format_record_errors_file_path",
            "format_avro_schema_registry_url", "allow_experimental_ai_functions",
            "ai_function_embedding_default_credentials", "ai_function_text_default_credentials");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] user;
    private final byte[] password;
    private final String userName;
    private final int port;

    /** @param port the engine's port, which a request's Host header must name when it names one */
    EngineAccess(String user, String password, int port) {
        this.userName = user;
        this.user = sha256(user);
        this.password = sha256(password);
        this.port = port;
    }

    /** A password for one run of an engine: 256 random bits, URL-safe. */
    public static String newPassword() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Why a request is refused before anything else is read, or null: a browser sends {@code Origin} with
     * every cross-origin request it lets a page make (a {@code no-cors} POST included), and a Host other
     * than the loopback address is a name rebound to it.
     */
    String refusal(Headers headers) {
        if (headers.containsKey("Origin")) {
            return "Requests from a web page (with an Origin header) are refused: the engine answers programs on"
                    + " this machine, not browsers (ACCESS_DENIED)";
        }
        String host = headers.getFirst("Host");
        if (host == null || !loopback(host)) {
            return "Host " + (host == null ? "(none)" : "'" + EngineResponse.printable(host) + "'") + " is refused:"
                    + " the engine answers http://127.0.0.1:" + port + " or http://localhost:" + port + " only (ACCESS_DENIED)";
        }
        return null;
    }

    private boolean loopback(String host) {
        String name = host;
        int colon = host.lastIndexOf(':');
        if (colon >= 0) {
            name = host.substring(0, colon);
            if (!host.substring(colon + 1).equals(Integer.toString(port))) {
                return false;
            }
        }
        name = name.toLowerCase(Locale.ROOT);
        return name.equals("127.0.0.1") || name.equals("localhost");
    }

    /**
     * Whether a request carries the engine's user and password, the ways ClickHouse clients send them:
     * basic authentication, or the {@code X-ClickHouse-User} and {@code X-ClickHouse-Key} headers. Compared
     * in constant time, as digests of equal length.
     */
    boolean admits(Headers headers) {
        String auth = headers.getFirst("Authorization");
        String askedUser;
        String askedPassword;
        if (auth != null) {
            if (!auth.regionMatches(true, 0, "Basic ", 0, 6)) {
                return false;
            }
            String pair;
            try {
                pair = new String(Base64.getDecoder().decode(auth.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            int colon = pair.indexOf(':');
            if (colon < 0) {
                return false;
            }
            askedUser = pair.substring(0, colon);
            askedPassword = pair.substring(colon + 1);
        } else {
            askedUser = Objects.requireNonNullElse(headers.getFirst("X-ClickHouse-User"), "default");
            askedPassword = Objects.requireNonNullElse(headers.getFirst("X-ClickHouse-Key"), "");
        }
        boolean userMatches = MessageDigest.isEqual(user, sha256(askedUser));
        boolean passwordMatches = MessageDigest.isEqual(password, sha256(askedPassword));
        return userMatches & passwordMatches; // both compared, whichever differs
    }

    /** A server's answer to a request without the right credentials; it names the user, never the password. */
    String authenticationFailed() {
        return EngineResponse.printable(userName) + ": Authentication failed: password is incorrect, or there is no"
                + " user with such name. The embedded engine takes its user and password as basic authentication or"
                + " the X-ClickHouse-User and X-ClickHouse-Key headers. (AUTHENTICATION_FAILED)";
    }

    /**
     * Writes clickhouse-local's configuration for an engine on {@code dataPath}: its user ({@code default},
     * which every chDB connection is) with {@link #GRANTS}, and returns the file to connect with. chDB checks
     * them as a server does: {@code file()}, {@code url()} and the like are refused as ACCESS_DENIED.
     */
    static Path writeConfig(Path dataPath) throws IOException {
        Path dir = dataPath.resolve("engine-access");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path users = dir.resolve("users.xml");
        String constraints = FIXED_SETTINGS.stream().map(n -> "<" + n + "><const/></" + n + ">")
                .collect(Collectors.joining());
        Files.writeString(users, """
                <clickhouse>
                    <profiles><default><constraints>%s</constraints></default></profiles>
                    <quotas><default/></quotas>
                    <users>
                        <default>
                            <password/>
                            <networks><ip>::/0</ip></networks>
                            <profile>default</profile>
                            <quota>default</quota>
                            <grants><query>%s</query></grants>
                        </default>
                    </users>
                </clickhouse>
                """.formatted(constraints, GRANTS), StandardCharsets.UTF_8);
        Path config = dir.resolve("config.xml");
        // Paths a table engine may name relative to user_files_path (FileLog's) land in an empty directory of
        // the engine's own, not in its working directory, which clickhouse-local's empty default means.
        Path userFiles = dataPath.resolve("user_files");
        Files.createDirectories(userFiles);
        Files.writeString(config, "<clickhouse><users_config>" + xml(users) + "</users_config><user_files_path>"
                + xml(userFiles) + "/</user_files_path></clickhouse>\n", StandardCharsets.UTF_8);
        return config;
    }

    private static String xml(Path path) {
        return path.toAbsolutePath().toString().replace("&", "&amp;").replace("<", "&lt;");
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
