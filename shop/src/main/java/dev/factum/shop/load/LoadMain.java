// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.load;

import dev.factum.command.CommandBus;
import dev.factum.postgres.PostgresConfig;
import dev.factum.postgres.PostgresEventStore;
import dev.factum.shop.order.app.OrderService;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.store.EventStore;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The load mode's entry point: {@code shop/run --load N [--concurrency C] [--db=<file> | --temp-db |
 * --postgres=<jdbc-url>]} (through {@code ShopMain}) or this class's {@code main}. Opens the event store, registers
 * the {@link OrderService} on a {@link CommandBus}, runs {@link LoadRunner} in-process (no HTTP, no projections) and
 * prints the {@link LoadSummary}. Exit status: 0 when every order was delivered, 1 when some failed, 2 for bad
 * arguments (one line on stderr, no stack trace).
 *
 * @since 0.1
 */
public final class LoadMain {
    private LoadMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the load mode with {@code args}, printing to {@code out} and {@code err}; answers the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("shop --load: " + e.getMessage());
            return 2;
        }
        Path temp = null;
        EventStore store;
        String where;
        try {
            if (options.postgres().isPresent()) {
                store = PostgresEventStore.open(PostgresConfig.of(options.postgres().get()));
                where = "PostgreSQL";
            } else {
                Path file;
                if (options.temp()) {
                    temp = Files.createTempDirectory("factum-shop-load");
                    file = temp.resolve("shop.db");
                } else {
                    file = options.db().toAbsolutePath();
                    if (file.getParent() != null) Files.createDirectories(file.getParent());
                }
                store = SqliteEventStore.open(SqliteConfig.of(file));
                where = "SQLite " + file;
            }
        } catch (IOException | RuntimeException e) {
            err.println("shop --load: cannot open the event store: " + e.getMessage());
            return 2;
        }
        try (EventStore closing = store) {
            CommandBus bus = new OrderService(store).register(CommandBus.builder()).build();
            out.println("load: " + options.orders() + " orders, concurrency " + options.concurrency() + ", events in "
                    + where);
            LoadSummary summary = new LoadRunner(bus).run(options.orders(), options.concurrency(), "load-", out);
            out.print(summary.format());
            out.flush();
            return summary.failed() == 0 ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("shop --load: interrupted");
            return 1;
        } catch (Exception e) {
            err.println("shop --load: " + e);
            return 1;
        } finally {
            if (temp != null) deleteQuietly(temp);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary file is harmless
        }
    }
}
