package io.github.eventsstats.store;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a native image must keep for reflection that neither Quarkus nor the libraries declare.
 * <ul>
 *   <li>Classes Jackson reads and writes outside REST endpoints (whose types Quarkus registers by
 *       itself): the ingest backlog spool's rows (the poll state registers itself, in github/).</li>
 *   <li>lz4-java, which client-v2 uses for ClickHouse's LZ4 transport (answers and requests): its factory loads
 *       the pure-Java codecs by name and reads their {@code INSTANCE} fields, and it ships no native
 *       metadata. (The JNI codecs are not used in native: {@code store/ClickHouse} disables them
 *       there.) client-v2 itself reflects only for POJO mapping and type hints, which we do not use.</li>
 * </ul>
 * The picocli commands carry their own {@code @RegisterForReflection}: picocli reads their
 * annotations, sets their fields and makes the {@code --types} candidates by reflection.
 */
@RegisterForReflection(targets = {EventRow.class, EventRow.Payload.class},
        classNames = {
                "net.jpountz.lz4.LZ4JavaSafeCompressor", "net.jpountz.lz4.LZ4HCJavaSafeCompressor",
                "net.jpountz.lz4.LZ4JavaSafeFastDecompressor", "net.jpountz.lz4.LZ4JavaSafeSafeDecompressor",
                "net.jpountz.lz4.LZ4JavaUnsafeCompressor", "net.jpountz.lz4.LZ4HCJavaUnsafeCompressor",
                "net.jpountz.lz4.LZ4JavaUnsafeFastDecompressor", "net.jpountz.lz4.LZ4JavaUnsafeSafeDecompressor"})
final class NativeReflection {
    private NativeReflection() {
    }
}
