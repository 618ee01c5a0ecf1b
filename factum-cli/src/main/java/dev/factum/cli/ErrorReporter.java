// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import dev.factum.FactumException;
import dev.factum.store.WrongExpectedVersionException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.util.Arrays;

/**
 * Turns every error into one line on standard error, {@code factum: <message>}, and an exit code: user errors never
 * show a stack trace ({@code --verbose} adds it).
 */
final class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler {
    private final FactumCli cli;

    ErrorReporter(FactumCli cli) {
        this.cli = cli;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        String help = commandLine.getCommandSpec().qualifiedName() + " --help";
        report(commandLine.getErr(), ex.getMessage() + " (see '" + help + "')", ex,
                cli.verbose() || Arrays.asList(args).contains("--verbose"));
        return FactumCli.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        int code;
        String message;
        if (ex instanceof WrongExpectedVersionException conflict) {
            code = FactumCli.CONFLICT;
            message = "conflict: " + conflict.getMessage() + "; nothing was written";
        } else if (ex instanceof FactumException) {
            code = FactumCli.FAILURE;
            message = describe(ex);
        } else if (ex instanceof IllegalArgumentException) {
            code = FactumCli.USAGE;
            message = describe(ex);
        } else {
            code = FactumCli.FAILURE;
            message = "unexpected error: " + ex.getClass().getSimpleName() + ": " + describe(ex)
                    + (cli.verbose() ? "" : " (run with --verbose for the stack trace)");
        }
        report(commandLine.getErr(), message, ex, cli.verbose());
        return code;
    }

    private static void report(PrintWriter err, String message, Throwable ex, boolean verbose) {
        err.println("factum: " + oneLine(message));
        if (verbose) ex.printStackTrace(err);
        err.flush();
    }

    /** The exception's message, plus its root cause's when that adds something (e.g. "Connection refused"). */
    static String describe(Throwable ex) {
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (root != ex && root.getMessage() != null) {
            String rootLine = root.getMessage().strip().lines().findFirst().orElse("");
            if (!rootLine.isEmpty() && !message.contains(rootLine)) message = message + ": " + rootLine;
        }
        return message;
    }

    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
