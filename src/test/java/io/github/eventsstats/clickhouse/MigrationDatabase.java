package io.github.eventsstats.clickhouse;

import com.clickhouse.client.api.command.CommandSettings;

import java.util.List;
import java.util.Map;

/**
 * A database of its own for a migration test, made at construction and dropped by {@link #close}:
 * schema files run in it, as an older service would have left it, and SQL reaches it as
 * {@code {db:Identifier}} (or {@code {db:String}}).
 */
final class MigrationDatabase implements AutoCloseable {

    private final ClickHouse clickHouse;
    private final String name = "migration_" + System.nanoTime();

    MigrationDatabase(ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
        clickHouse.execute("CREATE DATABASE " + name); // a name this class made, not input
    }

    /** Runs one schema file's statements in this database. */
    void run(String file) {
        CommandSettings settings = new CommandSettings();
        settings.setDatabase(name);
        for (String statement : SqlScript.load(file).statements()) {
            clickHouse.execute(statement, settings);
        }
    }

    /** Runs SQL that names this database as {db}. */
    void query(String sql) {
        clickHouse.query(sql, Map.of("db", name));
    }

    /** The first column of each row, as text. */
    List<String> rows(String select) {
        return clickHouse.query(select, Map.of("db", name)).stream().map(r -> r.getString(1)).toList();
    }

    @Override
    public void close() {
        clickHouse.execute("DROP DATABASE IF EXISTS " + name);
    }
}
