package io.github.eventsstats.clickhouse;

import io.quarkus.runtime.annotations.RegisterForReflection;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Modifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeReflectionTest {

    private final String[] names = NativeReflection.class.getAnnotation(RegisterForReflection.class).classNames();

    @Test
    void everyClassRegisteredByNameExistsAndHasTheInstanceFieldLz4LooksUp() throws Exception {
        assertTrue(names.length > 0);
        for (String name : names) {
            var instance = Class.forName(name).getField("INSTANCE");
            assertTrue(Modifier.isStatic(instance.getModifiers()), name);
        }
    }

    @Test
    void theRegisteredCodecsAreTheOnesThePureJavaFactoriesLoad() {
        for (LZ4Factory factory : new LZ4Factory[] {LZ4Factory.safeInstance(), LZ4Factory.fastestJavaInstance()}) {
            for (Object codec : new Object[] {factory.fastCompressor(), factory.highCompressor(),
                    factory.fastDecompressor(), factory.safeDecompressor()}) {
                assertTrue(java.util.Arrays.asList(names).contains(codec.getClass().getName()),
                        codec.getClass().getName() + " is not registered");
            }
        }
        assertEquals(8, names.length);
    }
}
