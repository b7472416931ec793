package io.github.eventsstats.archive;

/** {@link EventFileReaderTest}'s cases with java.util.zip inflating, as where ISA-L is not installed. */
class EventFileReaderZlibTest extends EventFileReaderTest {

    @Override
    boolean isal() {
        return false;
    }
}
