package io.github.eventsstats.archive;

import org.jboss.logging.Logger;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps the backfill command's JIT at its quick C1 compiler, as {@code -XX:TieredStopAtLevel=1}
 * does: the heavy work of a backfill is native and the Java left is small, so on two cores the
 * optimising C2 compiler costs more CPU during a load than its code saves (README, "Backfill
 * speed"). Without the flag, a compiler directive excluding C2 is added through the
 * DiagnosticCommand MBean, as {@code jcmd <pid> Compiler.directives_add} would. It changes
 * nothing where the user chose JIT options, and where it cannot be done (the native image) the
 * command runs as it is. Starting the MBean server takes ~0.1 s, so it runs beside Quarkus's
 * start-up, and the load waits for it.
 */
public final class QuickCompiler {

    private static final Logger LOG = Logger.getLogger(QuickCompiler.class);
    private static final String NO_C2 = "[{ match: \"*.*\", c2: { Exclude: true } }]";

    private static Thread started;

    private QuickCompiler() {
    }

    /** Starts adding the directive; {@link #await} waits until that is done. */
    public static synchronized void start() {
        if (started == null) {
            started = Thread.ofPlatform().name("backfill-jit").daemon().start(QuickCompiler::use);
        }
    }

    static synchronized void await() throws InterruptedException {
        if (started != null) {
            started.join();
        }
    }

    static void use() {
        try {
            if (ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .anyMatch(a -> a.contains("Tiered") || a.contains("Compile") || a.equals("-Xint") || a.equals("-Xcomp"))) {
                return;
            }
            Path directive = Files.createTempFile("backfill-jit", ".json");
            try {
                Files.writeString(directive, NO_C2);
                ManagementFactory.getPlatformMBeanServer().invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
                        new Object[]{new String[]{directive.toString()}}, new String[]{String[].class.getName()});
            } finally {
                Files.deleteIfExists(directive);
            }
        } catch (Exception | LinkageError e) {
            LOG.debugf("backfill: JIT left as it is (%s)", e);
        }
    }
}
