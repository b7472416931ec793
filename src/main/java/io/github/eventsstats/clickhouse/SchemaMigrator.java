package io.github.eventsstats.clickhouse;

import com.clickhouse.client.api.command.CommandSettings;
import com.clickhouse.client.api.query.GenericRecord;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies the versioned files of {@code clickhouse/} at start-up, each once, in order, and records
 * them in {@code schema_migrations}. A recorded file whose text changed stops the start-up, and
 * so does a table or view the files leave that the database lacks (dropped by hand: the files,
 * recorded as run, would not bring it back).
 */
@ApplicationScoped
public class SchemaMigrator {

    private static final Logger LOG = Logger.getLogger(SchemaMigrator.class);
    static final String BOOTSTRAP = "schema_migrations.sql";
    static final String INDEX = "migrations.lst";
    private static final long RETRY_SECONDS = 5;
    // The statements that make, drop and rename tables and views, as the schema files write them.
    private static final Pattern CREATE = Pattern.compile(
            "\\s*CREATE\\s+(?:TABLE|MATERIALIZED\\s+VIEW|VIEW)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(\\w+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern DROP = Pattern.compile(
            "\\s*DROP\\s+(?:TABLE|VIEW)\\s+(?:IF\\s+EXISTS\\s+)?(\\w+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern RENAME = Pattern.compile(
            "\\s*RENAME\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(\\w+)\\s+TO\\s+(\\w+)", Pattern.CASE_INSENSITIVE);
    private static final List<String> EXPECTED = expectedObjects();

    private final ClickHouse clickHouse;
    private final Optional<ClusterDdl> cluster;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "schema-migrator");
        t.setDaemon(true);
        return t;
    });
    private final boolean migrateAtStart;
    private volatile boolean applied;
    private volatile String lastError = "not applied yet";

    public SchemaMigrator(ClickHouse clickHouse, ClickHouseConfig config, SchemaConfig schema) {
        this.clickHouse = clickHouse;
        this.cluster = config.cluster().filter(c -> !c.isBlank()).map(ClusterDdl::new);
        this.migrateAtStart = schema.migrateAtStart();
    }

    void onStart(@Observes StartupEvent event) {
        if (!migrateAtStart) {
            return;
        }
        try {
            migrate();
        } catch (RuntimeException e) {
            if (!retryable(e)) {
                // Stop with the reason on one line, not under a stack trace.
                LOG.error(e.getMessage());
                Quarkus.asyncExit(1);
                return;
            }
            // An unreachable server is not fatal: readiness stays DOWN and we try again.
            lastError = e.getMessage();
            LOG.warnf("ClickHouse schema not applied yet (%s); retrying every %d s", e.getMessage(), RETRY_SECONDS);
            retries.schedule(this::retry, RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void retry() {
        try {
            migrate();
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            if (!retryable(e)) {
                LOG.error(e.getMessage());
                return;
            }
            LOG.debugf("ClickHouse schema still not applied: %s", e.getMessage());
            retries.schedule(this::retry, RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** False for what only a person can fix: a changed schema file, an engine that cannot start. */
    private static boolean retryable(RuntimeException e) {
        return !(e instanceof SchemaChangedException)
                && !(e instanceof ClickHouseUnavailableException u && !u.retryable());
    }

    public boolean isApplied() {
        return applied;
    }

    public String lastError() {
        return applied ? null : lastError;
    }

    /** Ordered file names from clickhouse/migrations.lst. */
    public static List<String> migrationFiles() {
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream("clickhouse/" + INDEX)) {
            if (in == null) {
                throw new IllegalStateException("clickhouse/" + INDEX + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Applies what is missing; returns how many files were applied now. */
    public synchronized int migrate() {
        createDatabase();
        for (String statement : statements(SqlScript.load(BOOTSTRAP))) {
            clickHouse.execute(statement);
        }
        Map<Integer, GenericRecord> recorded = new HashMap<>();
        for (GenericRecord r : clickHouse.query("SELECT version, name, checksum FROM schema_migrations", Map.of())) {
            recorded.put(r.getInteger("version"), r);
        }
        int count = 0;
        for (String file : migrationFiles()) {
            SqlScript script = SqlScript.load(file);
            GenericRecord done = recorded.get(script.version());
            if (done != null) {
                if (!done.getString("checksum").equals(script.checksum())) {
                    throw new SchemaChangedException("clickhouse/" + file + " changed after it was applied (recorded"
                            + " checksum " + done.getString("checksum").substring(0, 12) + ", now "
                            + script.checksum().substring(0, 12) + "); put schema changes in a new versioned file");
                }
                continue;
            }
            for (String statement : statements(script)) {
                clickHouse.execute(statement);
            }
            clickHouse.query("INSERT INTO schema_migrations (version, name, checksum) VALUES"
                            + " ({version:UInt32}, {name:String}, {checksum:String})",
                    Map.of("version", script.version(), "name", file, "checksum", script.checksum()));
            LOG.infof("applied schema file clickhouse/%s", file);
            count++;
        }
        List<String> missing = missingObjects();
        if (!missing.isEmpty()) {
            throw new SchemaChangedException("ClickHouse database " + clickHouse.database() + " lacks "
                    + String.join(", ", missing) + ", which schema_migrations records as created: restore "
                    + (missing.size() == 1 ? "it" : "them") + " from a backup, or start on an empty database"
                    + " (CLICKHOUSE_DATABASE); the service does not run on a damaged schema");
        }
        applied = true;
        return count;
    }

    /**
     * The tables and views the schema files leave, in the order they create them: each file's
     * CREATEs, DROPs and RENAMEs played in order, so the list follows the files by itself.
     */
    public static List<String> expectedObjects() {
        Set<String> objects = new LinkedHashSet<>();
        List<String> files = new ArrayList<>(List.of(BOOTSTRAP));
        files.addAll(migrationFiles());
        for (String file : files) {
            for (String statement : SqlScript.load(file).statements()) {
                Matcher m;
                if ((m = CREATE.matcher(statement)).lookingAt()) {
                    objects.add(m.group(1));
                } else if ((m = DROP.matcher(statement)).lookingAt()) {
                    objects.remove(m.group(1));
                } else if ((m = RENAME.matcher(statement)).lookingAt() && objects.remove(m.group(1))) {
                    objects.add(m.group(2));
                }
            }
        }
        return List.copyOf(objects);
    }

    /**
     * The {@link #expectedObjects} the database does not hold: a table dropped by hand is not
     * brought back by the files, whose runs schema_migrations records. Empty when all are there.
     */
    public List<String> missingObjects() {
        Set<String> present = new HashSet<>();
        // The reserved lane: readiness asks this, and must answer while API queries hold the shared one.
        for (GenericRecord r : clickHouse.reservedQuery("SELECT name FROM system.tables WHERE database = {db:String}",
                Map.of("db", clickHouse.database()))) {
            present.add(r.getString("name"));
        }
        return EXPECTED.stream().filter(o -> !present.contains(o)).toList();
    }

    private void createDatabase() {
        String db = clickHouse.database();
        if (!db.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
            throw new SchemaChangedException("CLICKHOUSE_DATABASE '" + db + "' is not a plain identifier");
        }
        // The configured database may not exist yet, so this one statement runs in `default`.
        CommandSettings settings = new CommandSettings();
        settings.setDatabase("default");
        clickHouse.execute(cluster.map(c -> c.createDatabase(db)).orElse("CREATE DATABASE IF NOT EXISTS `" + db + "`"),
                settings);
    }

    /** A file's statements as they run here: as written, or in their cluster form. */
    private List<String> statements(SqlScript script) {
        return cluster.map(c -> c.translateAll(script.statements())).orElse(script.statements());
    }

    @PreDestroy
    void stop() {
        retries.shutdownNow();
    }

    /** The schema on the server cannot be reconciled with the files: a start-up error. */
    public static class SchemaChangedException extends RuntimeException {
        public SchemaChangedException(String message) {
            super(message, null, false, false); // the message says it all; a stack trace would bury it
        }
    }
}
