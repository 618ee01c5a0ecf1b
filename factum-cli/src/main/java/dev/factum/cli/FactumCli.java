// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.StreamId;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code factum} command: append events to a store, read them back, follow the global order live, print
 * statistics, and list, show, replay and discard dead letters, on a SQLite file (the default,
 * {@code ./data/factum.db}) or on PostgreSQL.
 *
 * <p>Exit codes: {@value #OK} success; {@value #FAILURE} the operation failed (the store refused the event or could
 * not be reached; no such dead letter, or its state forbids the change; a waited-for replay failed or did not happen
 * in time); {@value #USAGE} the command line is wrong (unknown option, missing or malformed argument);
 * {@value #CONFLICT} concurrency conflict: the stream was not at {@code --expected-version}, nothing was written.
 * Errors print one line, {@code factum: <message>}, to standard error; {@code --verbose} adds the stack trace.
 *
 * @since 0.1
 */
@Command(name = "factum",
        mixinStandardHelpOptions = true,
        versionProvider = FactumCli.Version.class,
        description = "Appends, reads and follows events in a Factum event store (a SQLite file or PostgreSQL), and "
                + "handles its dead letters.",
        subcommands = {AppendCommand.class, ReadCommand.class, ReadAllCommand.class, TailCommand.class,
                StatsCommand.class, DeadLettersCommand.class, CommandLine.HelpCommand.class},
        usageHelpAutoWidth = true,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:failure: the store refused the event (payload not a JSON object, too large, malformed type, "
                        + "event id already used) or could not be reached; no such dead letter, or its state forbids "
                        + "the change; a replay waited for failed again or did not happen in time",
                "2:usage: unknown option, missing or malformed argument (stream name, version, UUID, header, "
                        + "duration, state)",
                "3:concurrency conflict: the stream was not at --expected-version; nothing was written"})
public final class FactumCli implements Runnable {
    /** Exit code of a command that succeeded. */
    public static final int OK = 0;
    /** Exit code of a failed operation: the store refused the input or could not be reached. */
    public static final int FAILURE = 1;
    /** Exit code of a malformed command line. */
    public static final int USAGE = 2;
    /** Exit code of a concurrency conflict (wrong expected version): nothing was written. */
    public static final int CONFLICT = 3;

    /** The store used when neither {@code --store} nor {@code FACTUM_STORE} is given. */
    public static final String DEFAULT_STORE = "./data/factum.db";

    @Option(names = "--store", scope = ScopeType.INHERIT, paramLabel = "FILE|URL",
            defaultValue = "${env:FACTUM_STORE:-" + DEFAULT_STORE + "}",
            description = {"SQLite file (its directory is created) or PostgreSQL URL: jdbc:postgresql://host:5432/db?user=u "
                    + "or postgresql://user@host:5432/db. Default: $FACTUM_STORE, else " + DEFAULT_STORE + "."})
    String store;

    @Option(names = "--schema", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "PostgreSQL schema of the store (default: the store's own, 'factum'). Created if missing.")
    String schema;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print JSON lines (one object per event with metadata, or per dead letter) instead of text.")
    boolean json;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Print stack traces of errors and more log output.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    private final StoreOpener opener;
    private final InputStream stdin;

    /** A CLI that opens stores with {@code opener} and reads {@code -} payloads from {@code stdin}. */
    public FactumCli(StoreOpener opener, InputStream stdin) {
        this.opener = Objects.requireNonNull(opener, "opener");
        this.stdin = Objects.requireNonNull(stdin, "stdin");
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--verbose")) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
            System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
        }
        System.exit(new FactumCli(StoreOpener.durable(), System.in).commandLine().execute(args));
    }

    /** The picocli command line: converters for Factum's types and one-line error handling installed. */
    public CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(this);
        commandLine.registerConverter(StreamId.class, Converters::streamId);
        commandLine.registerConverter(ExpectedVersion.class, Converters::expectedVersion);
        commandLine.registerConverter(java.time.Duration.class, Converters::duration);
        ErrorReporter errors = new ErrorReporter(this);
        commandLine.setParameterExceptionHandler(errors);
        commandLine.setExecutionExceptionHandler(errors);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command: choose one of append, read, read-all, tail, stats, dead-letters");
    }

    /** The parsed {@code --store} and {@code --schema}. A malformed value is a usage error. */
    StoreTarget target(CommandLine commandLine) {
        try {
            return StoreTarget.parse(store, Optional.ofNullable(schema));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage(), e, null, store);
        }
    }

    EventStore openStore(CommandLine commandLine) {
        return opener.open(target(commandLine));
    }

    /** The {@code --store} value as it may be printed: passwords masked. */
    String storeForDisplay() {
        return StoreTarget.redact(store);
    }

    InputStream stdin() {
        return stdin;
    }

    boolean json() {
        return json;
    }

    boolean verbose() {
        return verbose;
    }

    /** {@code --version}: the jar's version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = FactumCli.class.getPackage().getImplementationVersion();
            return new String[]{"factum " + (version == null ? "(development build)" : version)};
        }
    }
}
