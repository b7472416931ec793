package io.github.eventsstats;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappingInterface.Property;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.common.utils.StringUtil;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docs/configuration.md and .env.example list exactly the settings the code reads, each with the
 * code's default. What counts as a setting, and where its name and default come from:
 * <ul>
 * <li>every key of every {@code @ConfigMapping} interface among the application's compiled classes
 * (target/classes, indexed with Jandex, so no package is named here), named by SmallRye itself
 * (prefix, kebab-case members, nested interfaces, {@code @WithName}); its variable is SmallRye's
 * environment name (upper case, every other character {@code _}) and its default the
 * {@code @WithDefault} value, or unset;</li>
 * <li>application.properties (its lines without a {@code %profile.}) overrides both: a key given
 * {@code ${VAR:default}} there is set by VAR with that default ({@code archive.sync.url} by
 * {@code GHARCHIVE_URL}, and Quarkus's {@code quarkus.http.port} by {@code PORT}), a key given a
 * plain value has that value as its default;</li>
 * <li>{@link #QUARKUS_OWN}: Quarkus's own keys the documents describe;</li>
 * <li>the variables only the compose files under docker/ read ({@code ${VAR:-default}}), with their
 * defaults.</li>
 * </ul>
 * A default is written as SmallRye reads it, expressions included ({@code ${data.dir}/...}); unset
 * is the word {@code unset} in the document's table and an empty value in .env.example.
 */
class ConfigurationDocsTest {

    /** Quarkus's own keys the documents list: property, default. */
    private static final Map<String, String> QUARKUS_OWN = Map.of("quarkus.profile", "prod");

    private static final Path PROJECT = projectDir();

    /** One setting: its environment variable, its property (null for compose-only ones), its default ("" when unset). */
    record Setting(String env, String property, String defaultValue) {
    }

    @Test
    void everyConfigMappingKeyIsDocumentedWithItsDefault() throws IOException {
        Map<String, Setting> documented = markdownSettings(PROJECT.resolve("docs/configuration.md"));
        assertSameSettings(expectedSettings(), documented, "docs/configuration.md", true);
    }

    @Test
    void envExampleListsEverySettingWithItsDefault() throws IOException {
        Map<String, Setting> listed = envFileSettings(PROJECT.resolve(".env.example"));
        assertSameSettings(expectedSettings(), listed, ".env.example", false);
    }

    @Test
    void theReadmesSettingsAreSettingsWithTheirDefaults() throws IOException {
        Map<String, Setting> expected = expectedSettings();
        Map<String, Setting> inReadme = markdownSettings(PROJECT.resolve("README.md"));
        assertFalse(inReadme.isEmpty(), "README.md has no settings table");
        List<String> wrong = new ArrayList<>();
        inReadme.forEach((env, setting) -> {
            Setting truth = expected.get(env);
            if (truth == null) {
                wrong.add(env + " is no setting");
            } else if (!truth.defaultValue().equals(setting.defaultValue())) {
                wrong.add(env + ": default " + shown(setting.defaultValue()) + ", the code's is " + shown(truth.defaultValue()));
            }
        });
        assertTrue(wrong.isEmpty(), "README.md: " + String.join("; ", wrong));
    }

    /** The naming this test relies on is SmallRye's, checked on a mapping of its own (not in target/classes). */
    @Test
    void namesFollowSmallRyesRules() {
        Map<String, Setting> settings = new TreeMap<>();
        mappingSettings(ConfigMappings.ConfigClass.configClass(Fixture.class, "fixture"), settings);
        assertEquals(Map.of(
                        "FIXTURE_SOME_DURATION", new Setting("FIXTURE_SOME_DURATION", "fixture.some-duration", "5s"),
                        "FIXTURE_RENAMED", new Setting("FIXTURE_RENAMED", "fixture.renamed", ""),
                        "FIXTURE_INNER_MAX_PAGES", new Setting("FIXTURE_INNER_MAX_PAGES", "fixture.inner.max-pages", "3"),
                        "FIXTURE_LIST", new Setting("FIXTURE_LIST", "fixture.list", "")),
                settings);
    }

    /** Not annotated, so that Quarkus's tests, which index the test classes too, leave it alone. */
    interface Fixture {
        @WithDefault("5s")
        Duration someDuration();

        @WithName("renamed")
        Optional<String> original();

        Inner inner();

        Optional<List<String>> list();

        default int derived() {
            return 1;
        }

        interface Inner {
            @WithDefault("3")
            int maxPages();
        }
    }

    // --- what the code reads ----------------------------------------------------------------------

    static Map<String, Setting> expectedSettings() throws IOException {
        Map<String, Setting> settings = new TreeMap<>();
        List<Class<?>> mappings = configMappings();
        assertFalse(mappings.isEmpty(), "no @ConfigMapping interface found in " + mainClasses());
        mappings.forEach(type -> mappingSettings(ConfigMappings.ConfigClass.configClass(type), settings));

        for (Map.Entry<String, String> e : QUARKUS_OWN.entrySet()) {
            put(settings, new Setting(envName(e.getKey()), e.getKey(), e.getValue()));
        }
        applicationProperties(settings);
        composeOnlySettings(settings);
        return settings;
    }

    /** The keys of one mapping, named as SmallRye names them. */
    static void mappingSettings(ConfigMappings.ConfigClass mapping, Map<String, Setting> settings) {
        Map<String, Property> properties = ConfigMappings.getProperties(mapping);
        properties.forEach((name, property) -> {
            if (name.endsWith("[*]")) {
                return; // a list's indexed form (list[0]=...); the list itself is listed too
            }
            if (name.contains("*")) {
                fail(mapping.getType().getName() + " maps " + name + ": teach this test how the documents list a map");
            }
            put(settings, new Setting(envName(name), name, property.hasDefaultValue() ? property.getDefaultValue() : ""));
        });
    }

    /** application.properties' plain lines: {@code ${VAR:default}} names a key's variable; a plain value is its default. */
    private static void applicationProperties(Map<String, Setting> settings) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(PROJECT.resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        Pattern indirection = Pattern.compile("\\$\\{([A-Za-z0-9_]+):(.*)}");
        Map<String, Setting> byProperty = new TreeMap<>();
        settings.values().forEach(s -> byProperty.put(s.property(), s));
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            if (key.startsWith("%")) {
                continue;
            }
            String value = properties.getProperty(key);
            Setting mapped = byProperty.get(key);
            Matcher m = indirection.matcher(value);
            if (m.matches()) {
                if (mapped != null) {
                    settings.remove(mapped.env());
                }
                put(settings, new Setting(m.group(1), key, m.group(2)));
            } else if (mapped != null) {
                settings.put(mapped.env(), new Setting(mapped.env(), key, value));
            }
        }
    }

    /** What only the compose files read: {@code ${VAR:-default}} under docker/, not a service setting. */
    private static void composeOnlySettings(Map<String, Setting> settings) throws IOException {
        Pattern variable = Pattern.compile("\\$\\{([A-Z0-9_]+):-([^}]*)}");
        Map<String, String> compose = new TreeMap<>();
        try (Stream<Path> files = Files.walk(PROJECT.resolve("docker"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("docker-compose.*\\.ya?ml")).sorted().toList()) {
                Matcher m = variable.matcher(Files.readString(file));
                while (m.find()) {
                    if (settings.containsKey(m.group(1))) {
                        continue; // a service setting the compose file passes on (its own default is the compose file's business)
                    }
                    String before = compose.putIfAbsent(m.group(1), m.group(2));
                    assertTrue(before == null || before.equals(m.group(2)),
                            m.group(1) + " has two defaults in the compose files: " + before + " and " + m.group(2));
                }
            }
        }
        compose.forEach((env, value) -> put(settings, new Setting(env, null, value)));
    }

    private static void put(Map<String, Setting> settings, Setting setting) {
        Setting before = settings.putIfAbsent(setting.env(), setting);
        assertTrue(before == null, "two settings share the variable " + setting.env() + ": " + before + ", " + setting
                + " (or target/classes holds a moved class twice: ./mvnw clean)");
    }

    static String envName(String property) {
        return StringUtil.replaceNonAlphanumericByUnderscores(property).toUpperCase(Locale.ROOT);
    }

    /** The application's {@code @ConfigMapping} interfaces, from its compiled classes. */
    private static List<Class<?>> configMappings() throws IOException {
        Indexer indexer = new Indexer();
        try (Stream<Path> files = Files.walk(mainClasses())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    indexer.index(in);
                }
            }
        }
        Index index = indexer.complete();
        List<Class<?>> types = new ArrayList<>();
        for (AnnotationInstance mapping : index.getAnnotations(DotName.createSimple(ConfigMapping.class.getName()))) {
            String name = mapping.target().asClass().name().toString();
            try {
                types.add(Class.forName(name, false, ConfigurationDocsTest.class.getClassLoader()));
            } catch (ClassNotFoundException e) {
                throw new AssertionError(name, e);
            }
        }
        return types;
    }

    // --- what the documents say -------------------------------------------------------------------

    /**
     * The rows of every Markdown table with a Variable column: {@code `VAR`}, then the Property
     * column's {@code `key`} if the table has one, and the Default column's {@code `value`} or {@code unset}.
     */
    static Map<String, Setting> markdownSettings(Path file) throws IOException {
        Map<String, Setting> settings = new TreeMap<>();
        List<String> lines = Files.readAllLines(file);
        List<String> header = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.startsWith("|")) {
                header = null;
                continue;
            }
            List<String> cells = cells(line);
            if (i + 1 < lines.size() && lines.get(i + 1).strip().matches("\\|(\\s*:?-+:?\\s*\\|)+")) {
                header = cells;
                i++;
                continue;
            }
            if (header == null || !header.contains("Variable")) {
                continue;
            }
            String env = codeSpan(cell(cells, header, "Variable"));
            assertTrue(env != null && env.matches("[A-Z][A-Z0-9_]*"), file + ": not a `VARIABLE`: " + line);
            int propertyColumn = header.indexOf("Property");
            String property = propertyColumn < 0 ? null : codeSpan(cells.get(propertyColumn));
            String defaultCell = cell(cells, header, "Default");
            String value = defaultCell.equals("unset") ? "" : codeSpan(defaultCell);
            assertTrue(value != null, file + ": the default of " + env + " is neither `value` nor unset: " + defaultCell);
            assertTrue(settings.put(env, new Setting(env, property, value)) == null, file + " lists " + env + " twice");
        }
        return settings;
    }

    /** {@code KEY=value} lines, and commented-out ones ({@code # KEY=value}). */
    static Map<String, Setting> envFileSettings(Path file) throws IOException {
        Pattern entry = Pattern.compile("#? ?([A-Z][A-Z0-9_]*)=(.*)");
        Map<String, Setting> settings = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            Matcher m = entry.matcher(line.strip());
            if (m.matches()) {
                assertTrue(settings.put(m.group(1), new Setting(m.group(1), null, m.group(2))) == null,
                        file + " lists " + m.group(1) + " twice");
            }
        }
        return settings;
    }

    private static void assertSameSettings(Map<String, Setting> expected, Map<String, Setting> listed, String where,
                                           boolean withProperty) {
        List<String> problems = new ArrayList<>();
        expected.forEach((env, truth) -> {
            Setting doc = listed.get(env);
            if (doc == null) {
                problems.add("missing " + env + (truth.property() == null ? "" : " (" + truth.property() + ")")
                        + ", default " + shown(truth.defaultValue()));
            } else {
                if (!truth.defaultValue().equals(doc.defaultValue())) {
                    problems.add(env + ": default " + shown(doc.defaultValue()) + ", the code's is " + shown(truth.defaultValue()));
                }
                if (withProperty && !Objects.equals(truth.property(), doc.property())) {
                    problems.add(env + ": property " + doc.property() + ", the code's is " + truth.property());
                }
            }
        });
        listed.keySet().stream().filter(env -> !expected.containsKey(env))
                .forEach(env -> problems.add("no such setting: " + env));
        assertTrue(problems.isEmpty(), where + " is out of step with the code:\n  " + String.join("\n  ", problems));
    }

    private static String shown(String value) {
        return value.isEmpty() ? "unset" : "`" + value + "`";
    }

    private static List<String> cells(String row) {
        String inner = row.substring(1, row.endsWith("|") ? row.length() - 1 : row.length());
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("(?<!\\\\)\\|", -1)) {
            cells.add(cell.strip());
        }
        return cells;
    }

    private static String cell(List<String> cells, List<String> header, String column) {
        int at = header.indexOf(column);
        return at < 0 || at >= cells.size() ? "" : cells.get(at);
    }

    /** The text of a cell that is one code span, else null. */
    private static String codeSpan(String cell) {
        return cell.length() >= 2 && cell.startsWith("`") && cell.endsWith("`") && cell.indexOf('`', 1) == cell.length() - 1
                ? cell.substring(1, cell.length() - 1) : null;
    }

    // --- where things are ---------------------------------------------------------------------------

    /** Maven's layout: this class is in target/test-classes, the application's in target/classes. */
    private static Path mainClasses() {
        Path classes = testClasses().resolveSibling("classes");
        assertTrue(Files.isDirectory(classes), "no compiled classes at " + classes);
        return classes;
    }

    private static Path projectDir() {
        return testClasses().getParent().getParent();
    }

    private static Path testClasses() {
        try {
            return Path.of(ConfigurationDocsTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
