package io.github.eventsstats.clickhouse;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a native image must keep for reflection that neither Quarkus nor the libraries declare.
 * <ul>
 *   <li>lz4-java, which client-v2 uses for ClickHouse's LZ4 transport (answers and requests): its factory loads
 *       the pure-Java codecs by name and reads their {@code INSTANCE} fields, and it ships no native
 *       metadata. (The JNI codecs are not used in native: {@link ClickHouse} disables them
 *       there.) client-v2 itself reflects only for POJO mapping and type hints, which we do not use.</li>
 * </ul>
 * Classes Jackson reads and writes outside REST endpoints register themselves where they are
 * used (the ingest backlog's rows, the poll state). The picocli commands carry their own
 * {@code @RegisterForReflection}: picocli reads their annotations, sets their fields and makes the
 * {@code --types} candidates by reflection.
 */
@RegisterForReflection(classNames = {
        "net.jpountz.lz4.LZ4JavaSafeCompressor", "net.jpountz.lz4.LZ4HCJavaSafeCompressor",
        "net.jpountz.lz4.LZ4JavaSafeFastDecompressor", "net.jpountz.lz4.LZ4JavaSafeSafeDecompressor",
        "net.jpountz.lz4.LZ4JavaUnsafeCompressor", "net.jpountz.lz4.LZ4HCJavaUnsafeCompressor",
        "net.jpountz.lz4.LZ4JavaUnsafeFastDecompressor", "net.jpountz.lz4.LZ4JavaUnsafeSafeDecompressor"})
final class NativeReflection {
    private NativeReflection() {
    }
}
