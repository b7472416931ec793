package io.github.eventsstats.archive;

/**
 * {@link EventFileReaderTest}'s cases with java.util.zip inflating and the line pass in Java, as
 * where ISA-L and simdjson are not installed.
 */
class EventFileReaderPureJavaTest extends EventFileReaderTest {

    @Override
    boolean nativeLibraries() {
        return false;
    }
}
