package io.github.eventsstats.cli;

import io.github.eventsstats.clickhouse.ClickHouseConfig;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configuration the light commands read, and the backfill's profile. */
class ConfigBootstrapTest {

    /** The real configuration, with {@code env} as environment variables above everything else. */
    private static SmallRyeConfig config(Map<String, String> env) {
        return ConfigBootstrap.builder(ClickHouseConfig.class).withSources(new EnvConfigSource(env, 500)).build();
    }

    @Test
    void theHealthcheckPortIsQuarkusHttpPortSetByPortOrQuarkusHttpPort() {
        assertEquals(18181, config(Map.of("PORT", "18181")).getValue("quarkus.http.port", Integer.class));
        assertEquals(18182, config(Map.of("PORT", "18181", "QUARKUS_HTTP_PORT", "18182"))
                .getValue("quarkus.http.port", Integer.class));
    }

    @Test
    void theBackfillProfileWinsOverTheServicesSettingsInTheEnvironment() {
        // As a .env copied from .env.example has them.
        Map<String, String> env = Map.of("POLLER_ENABLED", "true", "CLICKHOUSE_EMBEDDED_ATTACH", "false");
        SmallRyeConfig plain = ConfigBootstrap.builder(ClickHouseConfig.class).withSources(new EnvConfigSource(env, 295)).build();
        Map<String, String> lifted = ConfigBootstrap.lifted(plain, "backfill");
        assertEquals("false", lifted.get("%backfill.poller.enabled"), lifted.toString());

        SmallRyeConfig backfill = ConfigBootstrap.builder(ClickHouseConfig.class)
                .withSources(new EnvConfigSource(env, 295))
                .withSources(new PropertiesConfigSource(lifted, "lifted", 400))
                .withSources(new PropertiesConfigSource(Map.of("quarkus.profile", "prod,backfill"), "profile", 500))
                .build();
        assertEquals(List.of("backfill", "prod"), backfill.getProfiles());
        assertFalse(backfill.getValue("poller.enabled", Boolean.class));
        assertFalse(backfill.getValue("quarkus.http.host-enabled", Boolean.class));
        assertFalse(backfill.getValue("schema.migrate-at-start", Boolean.class));
        assertTrue(backfill.getConfigMapping(ClickHouseConfig.class).embedded().attach());
        assertEquals("WARN", backfill.getRawValue("quarkus.log.category.\"io.quarkus\".level"));

        // Without the lift the environment would win, and the profile alone does nothing for the service.
        SmallRyeConfig unlifted = ConfigBootstrap.builder(ClickHouseConfig.class)
                .withSources(new EnvConfigSource(env, 295))
                .withSources(new PropertiesConfigSource(Map.of("quarkus.profile", "prod,backfill"), "profile", 500))
                .build();
        assertTrue(unlifted.getValue("poller.enabled", Boolean.class));
        assertFalse(ConfigBootstrap.builder(ClickHouseConfig.class).withSources(new PropertiesConfigSource(lifted, "lifted", 400)).build()
                .getConfigMapping(ClickHouseConfig.class).embedded().attach());
    }

    @Test
    void theCommandsProfileGoesAfterTheActiveOnes() {
        assertEquals("prod,backfill", ConfigBootstrap.withProfile("prod", "backfill"));
        assertEquals("dev,staging,backfill", ConfigBootstrap.withProfile(" dev, staging ", "backfill"));
        assertEquals("prod,backfill", ConfigBootstrap.withProfile("backfill,prod", "backfill"));
        assertEquals("backfill", ConfigBootstrap.withProfile(null, "backfill"));
    }
}
