package io.github.eventsstats.store;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class SchemaMigratorTest {

    @Inject
    SchemaMigrator migrator;
    @Inject
    ClickHouse clickHouse;

    private List<String> schema() {
        return clickHouse.query("""
                SELECT name || ' ' || engine || ' ' || create_table_query AS ddl FROM system.tables
                WHERE database = currentDatabase() ORDER BY name""", Map.of())
                .stream().map(r -> r.getString("ddl")).toList();
    }

    @Test
    void applyingTheSchemaAgainChangesNothing() {
        assertTrue(migrator.isApplied());
        List<String> before = schema();
        long recorded = clickHouse.query("SELECT count() AS c FROM schema_migrations", Map.of()).getFirst().getLong("c");

        assertEquals(0, migrator.migrate());
        assertEquals(0, migrator.migrate());

        assertEquals(before, schema());
        assertEquals(recorded, clickHouse.query("SELECT count() AS c FROM schema_migrations", Map.of()).getFirst().getLong("c"));
        assertEquals(SchemaMigrator.migrationFiles().size(), recorded);
    }

    @Test
    void aChangedAppliedFileIsRefused() {
        String real = clickHouse.query("SELECT checksum FROM schema_migrations WHERE version = 1", Map.of())
                .getFirst().getString("checksum");
        setChecksum(1, "0000000000000000000000000000000000000000000000000000000000000000");
        try {
            SchemaMigrator.SchemaChangedException e = assertThrows(SchemaMigrator.SchemaChangedException.class,
                    migrator::migrate);
            assertTrue(e.getMessage().contains("V001__events.sql changed after it was applied"), e.getMessage());
        } finally {
            setChecksum(1, real);
        }
        assertEquals(0, migrator.migrate());
    }

    private void setChecksum(int version, String checksum) {
        clickHouse.query("ALTER TABLE schema_migrations UPDATE checksum = {c:String} WHERE version = {v:UInt32}"
                + " SETTINGS mutations_sync = 2", Map.of("c", checksum, "v", version));
    }
}
