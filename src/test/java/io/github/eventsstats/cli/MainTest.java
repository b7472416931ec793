package io.github.eventsstats.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command tree: help and usage errors, which start nothing. */
public class MainTest {

    public record Run(int code, String out, String err) {
    }

    /** The whole command line, as Main runs it. */
    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCommands() {
        Run run = run("--help");
        assertEquals(0, run.code(), run.err());
        for (String command : new String[] {"backfill", "engine", "healthcheck"}) {
            assertTrue(run.out().contains("\n  " + command + " "), run.out());
        }
    }

    @Test
    void healthcheckHelpSaysWhatItChecks() {
        Run run = run("healthcheck", "--help");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("Usage: github-events-stats healthcheck [-h]"), run.out());
        assertTrue(run.out().contains("/q/health/ready") && run.out().contains("quarkus.http.port"), run.out());
    }

    @Test
    void engineHelpListsThePortOption() {
        Run run = run("engine", "--help");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("--port=N") && run.out().contains("CLICKHOUSE_EMBEDDED_PORT"), run.out());
    }

    @Test
    void usageErrorsExitWithStatus2AndTheUsage() {
        Run unknown = run("nope");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("github-events-stats: unknown command nope\n"), unknown.err());
        assertTrue(unknown.err().contains("\nUsage: github-events-stats [-h] [COMMAND]"), unknown.err());

        Run extra = run("healthcheck", "now");
        assertEquals(2, extra.code());
        assertTrue(extra.err().startsWith("healthcheck: unexpected argument now\n"), extra.err());
        assertTrue(extra.err().contains("\nUsage: github-events-stats healthcheck"), extra.err());

        Run option = run("engine", "--fast");
        assertEquals(2, option.code());
        assertTrue(option.err().startsWith("engine: unknown option --fast\n"), option.err());

        Run port = run("engine", "--port", "70000");
        assertEquals(2, port.code());
        assertTrue(port.err().startsWith("engine: --port must be from 0 to 65535; got 70000\n"), port.err());

        Run value = run("engine", "--port");
        assertEquals(2, value.code());
        assertTrue(value.err().startsWith("engine: --port needs a value\n"), value.err());
    }
}
