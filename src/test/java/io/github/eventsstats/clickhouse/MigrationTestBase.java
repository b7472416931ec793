package io.github.eventsstats.clickhouse;

import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A migration test's fixture: each test a {@link MigrationDatabase} of its own, dropped after it. */
abstract class MigrationTestBase {

    @Inject
    ClickHouse clickHouse;

    MigrationDatabase db;

    @BeforeEach
    void create() {
        db = new MigrationDatabase(clickHouse);
    }

    @AfterEach
    void drop() {
        db.close();
    }

    /** Runs every schema file before {@code file}, as an older service left the database. */
    void runFilesBefore(String file) {
        var files = SchemaMigrator.migrationFiles();
        files.subList(0, files.indexOf(file)).forEach(db::run);
    }
}
