package io.github.eventsstats.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.MethodTypeEntry;
import java.lang.classfile.constantpool.NameAndTypeEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.module.ModuleFinder;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The class files the engine's process runs: {@link EngineMain} and every class of ours it can
 * reach, found by reading the class files (constant pool and descriptors), so a new nested
 * class, lambda-bearing helper or record cannot be left off the child's class path. The child
 * has nothing but the JDK besides, so reaching any other library is refused here, loudly, rather
 * than failing in the child at run time.
 */
final class EngineClasses {

    /** Our namespace, in internal form: these classes are copied; all others must be the JDK's. */
    static final String APP = "io/github/eventsstats/";

    private EngineClasses() {
    }

    /** Class file bytes by internal name ({@code a/b/C$D}): the root and every class of ours it reaches. */
    static Map<String, byte[]> closure(Class<?> root) {
        return closure(root.getName(), root.getClassLoader());
    }

    static Map<String, byte[]> closure(String rootBinaryName, ClassLoader loader) {
        Set<String> jdkPackages = jdkPackages();
        Map<String, byte[]> found = new TreeMap<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.push(rootBinaryName.replace('.', '/'));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (found.containsKey(name)) {
                continue;
            }
            byte[] bytes = read(name, loader);
            found.put(name, bytes);
            for (String ref : references(ClassFile.of().parse(bytes))) {
                if (ref.startsWith(APP)) {
                    todo.push(ref);
                } else if (!jdkPackages.contains(packageOf(ref))) {
                    throw new EngineUnavailableException("the embedded engine's class " + binary(name) + " uses "
                            + binary(ref) + ", which is not part of the JDK; the engine's process has only the JDK"
                            + " and our own classes on its class path");
                }
            }
        }
        return found;
    }

    /** Every class a class file names: pool class entries, and the classes inside its descriptors. */
    static Set<String> references(ClassModel model) {
        Set<String> refs = new TreeSet<>();
        for (PoolEntry entry : model.constantPool()) {
            switch (entry) {
                case ClassEntry c -> addClass(refs, c.asSymbol());
                case NameAndTypeEntry nt -> addDescriptor(refs, nt.type().stringValue());
                case MethodTypeEntry mt -> addDescriptor(refs, mt.descriptor().stringValue());
                default -> {
                }
            }
        }
        model.fields().forEach(f -> addDescriptor(refs, f.fieldType().stringValue()));
        model.methods().forEach(m -> addDescriptor(refs, m.methodType().stringValue()));
        refs.remove(model.thisClass().asInternalName());
        return refs;
    }

    private static void addDescriptor(Set<String> refs, String descriptor) {
        if (descriptor.startsWith("(")) {
            MethodTypeDesc type = MethodTypeDesc.ofDescriptor(descriptor);
            addClass(refs, type.returnType());
            type.parameterList().forEach(p -> addClass(refs, p));
        } else {
            addClass(refs, ClassDesc.ofDescriptor(descriptor));
        }
    }

    private static void addClass(Set<String> refs, ClassDesc desc) {
        while (desc.isArray()) {
            desc = desc.componentType();
        }
        if (desc.isClassOrInterface()) {
            String d = desc.descriptorString();
            refs.add(d.substring(1, d.length() - 1));
        }
    }

    private static byte[] read(String internalName, ClassLoader loader) {
        String resource = internalName + ".class";
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new EngineUnavailableException("class file " + resource + " not found; the embedded engine"
                        + " needs a JVM build with its class files (it is not available in a native image)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new EngineUnavailableException("cannot read class file " + resource + ": " + e.getMessage(), e);
        }
    }

    /** The packages of the run-time image's modules, in internal form. */
    private static Set<String> jdkPackages() {
        return ModuleFinder.ofSystem().findAll().stream()
                .flatMap(m -> m.descriptor().packages().stream())
                .map(p -> p.replace('.', '/'))
                .collect(Collectors.toSet());
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash);
    }

    private static String binary(String internalName) {
        return internalName.replace('/', '.');
    }
}
