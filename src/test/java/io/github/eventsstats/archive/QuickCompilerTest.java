package io.github.eventsstats.archive;

import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuickCompilerTest {

    private static String diagnostic(String operation) throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), operation,
                new Object[]{new String[0]}, new String[]{String[].class.getName()});
    }

    private static int directives(String printed) {
        return printed.split("Directive:", -1).length - 1;
    }

    @Test
    void addsADirectiveThatKeepsEveryMethodFromC2() throws Exception {
        int before = directives(diagnostic("compilerDirectivesPrint"));
        QuickCompiler.use();
        String printed = diagnostic("compilerDirectivesPrint");
        try {
            assertEquals(before + 1, directives(printed), printed);
            String added = printed.substring(printed.indexOf("Directive:"));
            assertTrue(added.startsWith("Directive:\n matching: *.*"), added);
            String c2 = added.substring(added.indexOf("c2 directives:"));
            assertTrue(c2.contains("Exclude:true"), c2);
        } finally {
            diagnostic("compilerDirectivesRemove"); // the rest of the test JVM keeps its C2
        }
    }
}
