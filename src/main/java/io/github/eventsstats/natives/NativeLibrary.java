package io.github.eventsstats.natives;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one loader of the native bindings. A binding names the sonames to try, a symbol its library
 * must export, and a check; the loader opens the first library found, names the file actually
 * loaded and the Debian/Ubuntu package that installed it, and runs the binding's check (version,
 * layout, known answers) before anything else calls into the library. Whatever goes wrong, the
 * binding gets null, its callers take the Java path, and exactly one line is logged: INFO when the
 * library is missing or native calls are unavailable (the native image), WARN when a library is
 * there but fails its check. A library that passes is logged at DEBUG.
 *
 * <p>A check runs the library's code, so a library bad enough to crash would crash here; the
 * checks keep the library's writes inside memory they own (a guard after every struct), so one
 * that writes too far is caught rather than corrupting the heap.
 */
final class NativeLibrary {

    private static final Logger LOG = Logger.getLogger(NativeLibrary.class);
    private static final Path DPKG = Path.of("/var/lib/dpkg");

    /**
     * What is bound, for the log lines: {@code purpose} ("gzip"), the native and Java ways of
     * doing it, the advice when the library is missing, the symbol that must be there (it also
     * locates the file), and the prefix of the dpkg packages that may have installed it.
     */
    record Binding(String purpose, String nativeName, String javaName, String install, String anchor,
                   String packagePrefix) {
    }

    /** What a binding makes of a library that passed its check, and the version it found there. */
    record Bound<T>(T binding, String version) {
    }

    /** The binding's side of a load: its symbols and its check. */
    @FunctionalInterface
    interface Binder<T> {
        Bound<T> bind(NativeLibrary library) throws Mismatch;
    }

    /** Says why the library is not one the binding was written for. */
    static final class Mismatch extends Exception {
        Mismatch(String message) {
            super(message, null, false, false);
        }
    }

    private final String name;
    private final SymbolLookup symbols;
    private final Path file;
    private final String debianPackage;
    private final String debianVersion;

    private NativeLibrary(String name, SymbolLookup symbols, Path file, String debianPackage, String debianVersion) {
        this.name = name;
        this.symbols = symbols;
        this.file = file;
        this.debianPackage = debianPackage;
        this.debianVersion = debianVersion;
    }

    /**
     * The binding made from the first of {@code names} (sonames, or paths) that opens, if it passes
     * {@code binder}'s check; else null, with one log line saying why.
     */
    static <T> T load(Binding binding, List<String> names, Binder<T> binder) {
        Arena arena = null;
        SymbolLookup lookup = null;
        String name = null;
        try {
            for (String candidate : names) {
                Arena a = Arena.ofShared();
                try {
                    lookup = candidate.contains("/")
                            ? SymbolLookup.libraryLookup(Path.of(candidate), a)
                            : SymbolLookup.libraryLookup(candidate, a);
                    arena = a;
                    name = candidate;
                    break;
                } catch (IllegalArgumentException e) {
                    a.close(); // not found under this name; try the next
                } catch (RuntimeException | LinkageError e) {
                    a.close();
                    throw e;
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // Native access refused, or unsupported (the native image).
            LOG.infof("%s: %s (native calls unavailable here: %s)", binding.purpose(), binding.javaName(), e);
            return null;
        }
        if (lookup == null) {
            LOG.infof("%s: %s (%s not found; %s)", binding.purpose(), binding.javaName(), names.getFirst(),
                    binding.install());
            return null;
        }
        NativeLibrary library = null;
        try {
            MemorySegment anchor = lookup.find(binding.anchor())
                    .orElseThrow(() -> new Mismatch("it has no symbol " + binding.anchor()));
            Path file = mappedFile(anchor.address());
            String[] pkg = file == null ? null : debianPackage(file, binding.packagePrefix());
            library = new NativeLibrary(name, lookup, file, pkg == null ? null : pkg[0], pkg == null ? null : pkg[1]);
            Bound<T> bound = binder.bind(library);
            LOG.debugf("%s: %s %s from %s, checked", binding.purpose(), binding.nativeName(), bound.version(),
                    library.describe());
            return bound.binding();
        } catch (Mismatch | RuntimeException | LinkageError e) {
            String what = library != null ? library.describe() : name;
            String why = e instanceof Mismatch ? e.getMessage() : e.toString();
            LOG.warnf("%s: %s, not %s: %s failed its check: %s", binding.purpose(), binding.javaName(),
                    binding.nativeName(), what, why);
            arena.close(); // unloads it: nothing holds a handle into it
            return null;
        }
    }

    /** The file the library was loaded from (its real path), if /proc/self/maps says. */
    Path file() {
        return file;
    }

    /** The version of the dpkg package that installed {@link #file}, or null. */
    String debianVersion() {
        return debianVersion;
    }

    /** The soname, or path, the library was opened by. */
    String name() {
        return name;
    }

    MemorySegment symbol(String symbol) throws Mismatch {
        return symbols.find(symbol).orElseThrow(() -> new Mismatch("it has no symbol " + symbol));
    }

    boolean has(String symbol) {
        return symbols.find(symbol).isPresent();
    }

    MethodHandle function(String symbol, FunctionDescriptor function, Linker.Option... options) throws Mismatch {
        return Linker.nativeLinker().downcallHandle(symbol(symbol), function, options);
    }

    /** A function of the C library the JVM runs on. */
    static MethodHandle libc(String symbol, FunctionDescriptor function, Linker.Option... options) throws Mismatch {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find(symbol)
                .orElseThrow(() -> new Mismatch("the C library has no " + symbol)), function, options);
    }

    /** Calls {@code function} once, as a check does (not for hot paths: it boxes). */
    static Object call(MethodHandle function, Object... arguments) {
        try {
            return function.invokeWithArguments(arguments);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** "/usr/lib/.../libisal.so.2.0.30 (libisal2 2.30.0-5)", as far as it is known. */
    String describe() {
        String where = file != null ? file.toString() : name;
        return debianPackage != null ? where + " (" + debianPackage + " " + debianVersion + ")" : where;
    }

    private static final Pattern MAPS_LINE = Pattern.compile("^([0-9a-f]+)-([0-9a-f]+) \\S+ \\S+ \\S+ \\d+ +(/.*)$");

    /** The file mapped at {@code address} in this process, by /proc/self/maps. */
    static Path mappedFile(long address) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                Matcher m = MAPS_LINE.matcher(line);
                if (m.matches() && Long.compareUnsigned(address, Long.parseUnsignedLong(m.group(1), 16)) >= 0
                        && Long.compareUnsigned(address, Long.parseUnsignedLong(m.group(2), 16)) < 0) {
                    return Path.of(m.group(3)).toRealPath();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debugf("where the library was loaded from is unknown: %s", e);
        }
        return null;
    }

    /**
     * The dpkg package (of those named {@code prefix}...) whose file list holds {@code file}, and
     * its version: {name, version}, or null where dpkg did not install it (or there is no dpkg).
     */
    static String[] debianPackage(Path file, String prefix) {
        Path info = DPKG.resolve("info");
        if (!Files.isDirectory(info)) {
            return null;
        }
        try (DirectoryStream<Path> lists = Files.newDirectoryStream(info, prefix + "*.list")) {
            for (Path list : lists) {
                for (String listed : Files.readAllLines(list)) {
                    if (listed.endsWith("/" + file.getFileName()) && sameFile(Path.of(listed), file)) {
                        String pkg = list.getFileName().toString().replaceFirst("\\.list$", "");
                        return new String[]{pkg, installedVersion(pkg.replaceFirst(":.*$", ""))};
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.debugf("dpkg's records unreadable: %s", e);
        }
        return null;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false; // listed, but gone or unreadable
        }
    }

    /** The installed version of {@code pkg} in dpkg's status file, or "?". */
    private static String installedVersion(String pkg) throws IOException {
        boolean inPackage = false;
        for (String line : Files.readAllLines(DPKG.resolve("status"))) {
            if (line.startsWith("Package: ")) {
                inPackage = line.substring(9).equals(pkg);
            } else if (inPackage && line.startsWith("Version: ")) {
                return line.substring(9);
            }
        }
        return "?";
    }

    /** The bytes as hex, for a check's message about what a library wrote. */
    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
