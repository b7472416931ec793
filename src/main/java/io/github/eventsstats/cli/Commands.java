package io.github.eventsstats.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * What every command line shares: how arguments are read, and how a usage error is reported: one
 * line {@code command: what is wrong}, then the usage, exit status 2.
 */
public final class Commands {

    private Commands() {
    }

    /** Applies the shared settings to {@code line} and the subcommands it has so far. */
    public static CommandLine configure(CommandLine line) {
        return line
                .setExpandAtFiles(false) // an argument starting with @ is a path, not a file of more arguments
                .setOverwrittenOptionsAllowed(true) // the last --types wins, as it always has
                .setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF))
                .setParameterExceptionHandler((e, args) -> {
                    CommandLine failed = e.getCommandLine();
                    failed.getErr().println(failed.getCommandName() + ": " + message(e));
                    failed.usage(failed.getErr());
                    return CommandLine.ExitCode.USAGE;
                })
                .setExecutionExceptionHandler((e, failed, parsed) -> {
                    failed.getErr().println(failed.getCommandName() + ": " + (e.getMessage() != null ? e.getMessage() : e));
                    return CommandLine.ExitCode.SOFTWARE;
                });
    }

    /** What is wrong with the arguments, in the commands' words rather than picocli's. */
    public static String message(ParameterException e) {
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().getFirst();
            if (u.isUnknownOption()) {
                return "unknown option " + arg;
            }
            return (e.getCommandLine().getSubcommands().isEmpty() ? "unexpected argument " : "unknown command ") + arg;
        }
        if (e instanceof MissingParameterException m && !m.getMissing().isEmpty()) {
            ArgSpec missing = m.getMissing().getFirst();
            if (missing instanceof OptionSpec option) {
                return option.required() ? "missing " + option.longestName() : option.longestName() + " needs a value";
            }
            return "no " + missing.paramLabel() + " given";
        }
        return e.getMessage();
    }
}
