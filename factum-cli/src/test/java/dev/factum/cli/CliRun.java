// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the {@code factum} command line in-process, as a user would type it, and captures what it prints. Every run
 * opens the store named by the store arguments afresh, like separate invocations of the tool.
 */
final class CliRun {
    private final List<String> storeArgs;
    private final StoreOpener opener;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private CliRun(List<String> storeArgs, StoreOpener opener) {
        this.storeArgs = storeArgs;
        this.opener = opener;
    }

    /** What one command printed, and its exit code. */
    record Result(int exitCode, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    static Result factum(List<String> storeArgs, String... args) {
        return withStdin(storeArgs, "", args);
    }

    static Result withStdin(List<String> storeArgs, String stdin, String... args) {
        return new CliRun(storeArgs, StoreOpener.durable()).execute(stdin, args);
    }

    static Result withOpener(StoreOpener opener, String... args) {
        return new CliRun(List.of(), opener).execute("", args);
    }

    /** A run whose output can be watched while it is still going (for {@code tail}). */
    static CliRun live(List<String> storeArgs) {
        return new CliRun(storeArgs, StoreOpener.durable());
    }

    Result execute(String stdin, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(storeArgs);
        FactumCli cli = new FactumCli(opener, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        var commandLine = cli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    String outSoFar() {
        return out.toString();
    }

    String errSoFar() {
        return err.toString();
    }
}
