// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.boot;

import dev.factum.command.CommandBus;
import dev.factum.postgres.PostgresConfig;
import dev.factum.postgres.PostgresEventStore;
import dev.factum.shop.load.LoadMain;
import dev.factum.shop.load.LoadOptions;
import dev.factum.shop.order.app.OrderService;
import dev.factum.query.QueryBus;
import dev.factum.shop.order.http.HttpOptions;
import dev.factum.shop.order.http.OrderReadSide;
import dev.factum.shop.order.view.OrderListProjection;
import dev.factum.shop.order.view.OrderQueries;
import dev.factum.shop.order.view.ViewDatabase;
import dev.factum.subscription.CheckpointStore;
import dev.factum.subscription.Projections;
import dev.factum.shop.order.http.ShopServer;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.store.EventStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the shop until the JVM is stopped (Ctrl-C): an event store, the {@link CommandBus} with the
 * {@link OrderService} handlers, the order list projection with its queries, and the {@link ShopServer}; prints the
 * server's URL.
 *
 * <p>Flags (each also an environment variable): {@code --port=<n>} / {@code SHOP_PORT} (default 8080);
 * {@code --db=<file>} / {@code SHOP_DB} (SQLite file, default {@code ./data/shop.db}, its directory created);
 * {@code --postgres=<jdbc-url>} / {@code SHOP_POSTGRES_URL} (use PostgreSQL instead, e.g.
 * {@code jdbc:postgresql://localhost:5432/shop?user=shop&password=shop}). An unknown flag exits with status 2.
 * {@code --load N} runs the load mode instead ({@link LoadMain}).
 *
 * @since 0.1
 */
public final class ShopMain {
    private ShopMain() {
    }

    public static void main(String[] args) throws Exception {
        if (LoadOptions.requested(args)) {
            System.exit(LoadMain.run(args, System.out, System.err)); // the load mode: --load N, see LoadMain
        }
        int port = Integer.parseInt(option(args, "port", "SHOP_PORT").orElse(String.valueOf(HttpOptions.DEFAULT_PORT)));
        Optional<String> postgres = option(args, "postgres", "SHOP_POSTGRES_URL");
        EventStore store;
        CheckpointStore checkpoints;
        ViewDatabase views;
        String where;
        if (postgres.isPresent()) {
            PostgresEventStore pg = PostgresEventStore.open(PostgresConfig.of(postgres.get()));
            store = pg;
            checkpoints = pg.checkpointStore();
            views = ViewDatabase.postgres(postgres.get(), pg.config().schema());
            where = "PostgreSQL";
        } else {
            Path file = Path.of(option(args, "db", "SHOP_DB").orElse("data/shop.db")).toAbsolutePath();
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            SqliteEventStore sqlite = SqliteEventStore.open(SqliteConfig.of(file));
            store = sqlite;
            checkpoints = sqlite.checkpointStore();
            views = ViewDatabase.sqlite(file);
            where = "SQLite " + file;
        }
        OrderService orders = new OrderService(store);
        CommandBus bus = orders.register(CommandBus.builder()).build();
        OrderListProjection list = new OrderListProjection(views);
        Projections projections = Projections.builder(store, checkpoints).add(list).build();
        QueryBus queries = new OrderQueries(store, projections, list, views).register(QueryBus.builder()).build();
        projections.start();
        ShopServer server = ShopServer.start(bus, orders, Optional.of(new OrderReadSide(queries, projections)),
                HttpOptions.defaults().withPort(port));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            projections.close();
            try {
                store.close();
            } catch (Exception e) {
                System.err.println("closing the event store failed: " + e);
            }
            stopped.countDown();
        }, "shop-shutdown"));
        System.out.println("factum shop listening on " + server.uri() + " (events in " + where + ")");
        stopped.await();
    }

    /** {@code --name=value} from {@code args}, else the environment variable {@code env}. */
    private static Optional<String> option(String[] args, String name, String env) {
        for (String arg : args) {
            if (arg.startsWith("--" + name + "=")) return Optional.of(arg.substring(name.length() + 3));
            if (!arg.startsWith("--port=") && !arg.startsWith("--db=") && !arg.startsWith("--postgres=")) {
                System.err.println("unknown argument: " + arg + " (use --port=, --db=, --postgres=)");
                System.exit(2);
            }
        }
        return Optional.ofNullable(System.getenv(env)).filter(v -> !v.isBlank());
    }
}
