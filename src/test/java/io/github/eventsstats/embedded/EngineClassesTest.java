package io.github.eventsstats.embedded;

import org.junit.jupiter.api.Test;

import java.lang.classfile.ClassFile;
import java.net.URL;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine process's class path: every class of ours it reaches, and the JDK only besides. */
class EngineClassesTest {

    private static final Map<String, byte[]> CLOSURE = EngineClasses.closure(EngineMain.class);

    @Test
    void holdsTheEngineAndEveryNestedClassOfIt() {
        for (Class<?> c : List.of(EngineMain.class, EngineServer.class, Chdb.class, Chdb.Result.class,
                EngineEndpointFile.class)) {
            assertTrue(CLOSURE.containsKey(internal(c)), c.getName());
            Arrays.stream(c.getNestMembers()).forEach(n -> assertTrue(CLOSURE.containsKey(internal(n)), n.getName()));
        }
        assertFalse(CLOSURE.containsKey(internal(EngineProcess.class)), "the parent's side, which logs with JBoss");
        assertTrue(CLOSURE.keySet().stream().allMatch(n -> n.startsWith(EngineClasses.APP)), CLOSURE.keySet().toString());
    }

    @Test
    void everythingElseItUsesIsTheJdk() {
        for (Map.Entry<String, byte[]> c : CLOSURE.entrySet()) {
            for (String ref : EngineClasses.references(ClassFile.of().parse(c.getValue()))) {
                assertTrue(ref.startsWith(EngineClasses.APP) || ref.startsWith("java/") || ref.startsWith("javax/")
                        || ref.startsWith("jdk/") || ref.startsWith("com/sun/net/httpserver/"), // the JDK's HTTP server
                        c.getKey() + " uses " + ref);
            }
        }
    }

    @Test
    void aClassOfALibraryIsRefusedByName() {
        EngineUnavailableException e = assertThrows(EngineUnavailableException.class,
                () -> EngineClasses.closure(UsesALibrary.class));
        assertTrue(e.getMessage().contains("org.junit.jupiter.api.Assertions, which is not part of the JDK"), e.getMessage());
    }

    @Test
    void aMissingClassFileIsRefusedByName() {
        String hidden = internal(Chdb.Result.class) + ".class";
        ClassLoader loader = new ClassLoader(getClass().getClassLoader()) {
            @Override
            public URL getResource(String name) {
                return name.equals(hidden) ? null : super.getResource(name);
            }
        };
        EngineUnavailableException e = assertThrows(EngineUnavailableException.class,
                () -> EngineClasses.closure(EngineMain.class.getName(), loader));
        assertTrue(e.getMessage().startsWith("class file " + hidden + " not found"), e.getMessage());
    }

    @Test
    void descriptorsAndArraysCount() {
        Set<String> refs = EngineClasses.references(ClassFile.of().parse(CLOSURE.get(internal(Chdb.class))));
        assertTrue(refs.contains("java/lang/foreign/MemorySegment"), refs.toString());
        assertTrue(refs.contains(internal(Chdb.Result.class)), refs.toString());
        assertFalse(refs.contains(internal(Chdb.class)), "itself");
        assertEquals(refs.stream().filter(r -> r.startsWith("[") || r.endsWith(";")).toList(), List.of());
    }

    private static String internal(Class<?> c) {
        return c.getName().replace('.', '/');
    }

    static final class UsesALibrary {
        static void check() {
            org.junit.jupiter.api.Assertions.fail();
        }
    }
}
