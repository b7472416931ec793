package io.github.eventsstats.cli;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Configuration before or without Quarkus, and the one place that sets a system property. The
 * light commands ({@code healthcheck}, {@code engine}) read what the service reads (system
 * properties, the environment, {@code .env}, application.properties, under {@code quarkus.profile})
 * through the service's own {@code @ConfigMapping}s; a command that runs Quarkus adds its profile here.
 */
public final class ConfigBootstrap {

    static final String PROFILE = "quarkus.profile";

    private ConfigBootstrap() {
    }

    /** The service's configuration, without starting Quarkus, with the {@code @ConfigMapping}s asked for. */
    public static SmallRyeConfig read(Class<?>... mappings) {
        return builder(mappings).build();
    }

    public static SmallRyeConfigBuilder builder(Class<?>... mappings) {
        // Quarkus's builder, for quarkus.profile (default prod) and its converters (durations such as 30s).
        SmallRyeConfigBuilder builder = ConfigUtils.emptyConfigBuilder(LaunchMode.NORMAL);
        for (Class<?> mapping : mappings) {
            builder.withMapping(mapping);
        }
        return builder;
    }

    /**
     * Makes the Quarkus started next in this JVM run with {@code profile} after the active ones, so
     * that profile's values in application.properties win.
     */
    public static void activate(String profile) {
        SmallRyeConfig config = read();
        System.setProperty(PROFILE, withProfile(config.getConfigValue(PROFILE).getValue(), profile));
        // A profile's value loses to its plain key from a source of higher ordinal: POLLER_ENABLED=true
        // in the environment or .env (as .env.example and docker-compose.yml have it) would run the
        // poller in the backfill. System properties outrank both, and stay under the profile.
        lifted(config, profile).forEach(System::setProperty);
    }

    /** The active profiles with {@code profile} last, which gives it priority. */
    static String withProfile(String active, String profile) {
        List<String> profiles = new ArrayList<>();
        for (String p : (active == null ? "" : active).split(",")) {
            String name = p.strip();
            if (!name.isEmpty() && !name.equals(profile)) {
                profiles.add(name);
            }
        }
        profiles.add(profile);
        return String.join(",", profiles);
    }

    /** The {@code %profile.} entries of {@code config}, with their values. */
    static Map<String, String> lifted(SmallRyeConfig config, String profile) {
        String prefix = "%" + profile + ".";
        Map<String, String> values = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            String value = name.startsWith(prefix) ? config.getRawValue(name) : null;
            if (value != null) {
                values.put(name, value);
            }
        }
        return values;
    }
}
