package io.github.eventsstats;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.github.eventsstats.cache.Query;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.smallrye.config.ConfigMapping;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules that docs/architecture.md states, one rule per statement, over the
 * application's classes (tests and the benchmark harness are not part of the graph).
 */
class ArchitectureTest {

    private static final String ROOT = "io.github.eventsstats.";
    private static final JavaClasses APPLICATION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.github.eventsstats");

    private static String[] packages(String... names) {
        String[] out = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = ROOT + names[i] + "..";
        }
        return out;
    }

    @Test
    void everyClassLivesInAFeaturePackage() {
        classes()
                .should().resideInAnyPackage(packages(
                        "api", "dashboard", "cli", "health",
                        "metrics", "watch", "archive", "poller", "enrich", "coverage", "rollup", "retention", "jobs",
                        "cache", "ingest", "stream",
                        "event", "github", "clickhouse", "embedded", "natives", "platform"))
                .because("a class's package says what it is for and what it may use (docs/architecture.md)")
                .check(APPLICATION);
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching(ROOT + "(*)..").should().beFreeOfCycles().check(APPLICATION);
    }

    @Test
    void dependenciesPointDownTheLayers() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Entry points").definedBy(packages("api", "dashboard", "cli", "health"))
                .layer("Features").definedBy(packages(
                        "metrics", "watch", "archive", "poller", "enrich", "coverage", "rollup", "retention", "jobs", "cache"))
                .layer("Write path").definedBy(packages("ingest", "stream"))
                .layer("Foundation").definedBy(packages("event", "github", "clickhouse", "embedded", "natives", "platform"))
                .whereLayer("Entry points").mayNotBeAccessedByAnyLayer()
                .whereLayer("Features").mayOnlyBeAccessedByLayers("Entry points", "Features")
                .whereLayer("Write path").mayOnlyBeAccessedByLayers("Entry points", "Features")
                .check(APPLICATION);
    }

    @Test
    void theDomainAndThePlatformStandAlone() {
        noClasses()
                .that().resideInAnyPackage(packages("event", "platform", "natives"))
                .should().dependOnClassesThat().resideInAnyPackage(packages(
                        "github", "clickhouse", "embedded", "ingest", "stream", "metrics", "watch", "archive", "poller", "enrich",
                        "coverage", "rollup", "retention", "jobs", "cache", "api", "dashboard", "cli", "health"))
                .because("event types, their parsing, the clock and native codecs are used by everything and use nothing of ours"
                        + " but each other")
                .check(APPLICATION);
    }

    @Test
    void theClickHouseClientKnowsNoEngineAndNoFeature() {
        noClasses()
                .that().resideInAPackage(ROOT + "clickhouse..")
                .should().dependOnClassesThat().resideOutsideOfPackages(
                        ROOT + "clickhouse..", ROOT + "platform..", "java..", "javax..", "jakarta..", "com.clickhouse..",
                        "io.quarkus..", "io.smallrye..", "io.micrometer..", "org.jboss..", "net.jpountz..", "org.apache.hc..",
                        "com.fasterxml..")
                .because("the client talks to any ClickHouse; the embedded engine produces the endpoint it connects to")
                .check(APPLICATION);
    }

    @Test
    void theGitHubClientKnowsNoFeature() {
        noClasses()
                .that().resideInAPackage(ROOT + "github..")
                .should().dependOnClassesThat().resideInAnyPackage(packages(
                        "event", "clickhouse", "embedded", "ingest", "stream", "metrics", "watch", "archive", "poller", "enrich",
                        "coverage", "rollup", "retention", "jobs", "cache", "api", "dashboard", "cli", "health"))
                .check(APPLICATION);
    }

    @Test
    void onlyTheEntryPointsStartTheEngine() {
        classes()
                .that().resideInAPackage(ROOT + "embedded..")
                .should().onlyHaveDependentClassesThat().resideInAnyPackage(packages("embedded", "cli", "health"))
                .because("the rest of the service reaches ClickHouse through the client, wherever it runs")
                .check(APPLICATION);
    }

    @Test
    void httpResourcesLiveInTheEntryPoints() {
        classes()
                .that().areAnnotatedWith(Path.class)
                .should().resideInAnyPackage(packages("api", "dashboard"))
                .check(APPLICATION);
    }

    /** A store, or a type declared in one (its rows): what a service composes, not a resource. */
    private static final DescribedPredicate<JavaClass> A_STORE = DescribedPredicate.describe("are a *Store or a type declared in one",
            c -> outermost(c).getSimpleName().endsWith("Store"));

    private static JavaClass outermost(JavaClass c) {
        return c.getEnclosingClass().map(ArchitectureTest::outermost).orElse(c);
    }

    @Test
    void resourcesCallServicesNotStores() {
        noClasses()
                .that().resideInAnyPackage(packages("api", "dashboard"))
                .should().dependOnClassesThat(A_STORE)
                .orShould().dependOnClassesThat().belongToAnyOf(ClickHouse.class)
                .because("a resource validates, calls a service and maps its answer to HTTP; the service composes the"
                        + " stores and runs their queries off the event loop")
                .check(APPLICATION);
    }

    @Test
    void cacheKeysAreQueryRecords() {
        classes()
                .that().implement(Query.class)
                .should().beRecords()
                .because("a cached answer's key is its question's every parameter: a record's equality, never a string"
                        + " built by hand")
                .check(APPLICATION);
    }

    @Test
    void commandLinesLiveInCli() {
        classes()
                .that().areAnnotatedWith(Command.class)
                .should().resideInAPackage(ROOT + "cli..")
                .check(APPLICATION);
    }

    @Test
    void configurationIsAConfigMappingNamedConfig() {
        classes()
                .that().areAnnotatedWith(ConfigMapping.class)
                .should().haveSimpleNameEndingWith("Config").andShould().beInterfaces()
                .check(APPLICATION);
    }

    @Test
    void nativeCodeIsBoundInOnePlaceEach() {
        noClasses()
                .that().resideOutsideOfPackages(packages("natives", "embedded"))
                .should().dependOnClassesThat().resideInAPackage("java.lang.foreign..")
                .because("native bindings check what they bind and fall back; the engine's binding runs in its own process")
                .check(APPLICATION);
    }
}
