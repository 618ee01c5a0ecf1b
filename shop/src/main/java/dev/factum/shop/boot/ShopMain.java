// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.boot;

import dev.factum.aggregate.RepositoryOptions;
import dev.factum.aggregate.SnapshotStore;
import dev.factum.command.CommandBus;
import dev.factum.command.CommandInterceptors;
import dev.factum.command.CommandResultStore;
import dev.factum.postgres.PostgresConfig;
import dev.factum.postgres.PostgresEventStore;
import dev.factum.inbox.Inbox;
import dev.factum.relay.LeaseStore;
import dev.factum.retry.DeadLetterStore;
import dev.factum.shop.http.RouteSet;
import dev.factum.saga.SagaEngine;
import dev.factum.shop.inventory.app.InventoryRequests;
import dev.factum.shop.inventory.app.InventoryService;
import dev.factum.shop.order.saga.OrderSaga;
import dev.factum.shop.order.saga.OrderSagaOutcomes;
import dev.factum.shop.order.saga.OrderSagaStarter;
import dev.factum.shop.order.saga.SagaRoutes;
import dev.factum.shop.order.saga.view.SagaStatusProjection;
import dev.factum.shop.order.saga.view.SagaStatusQueries;
import dev.factum.shop.payment.app.PaymentGatewaySimulator;
import dev.factum.shop.payment.app.PaymentRequests;
import dev.factum.shop.payment.app.PaymentService;
import dev.factum.shop.shipping.app.ShippingRequests;
import dev.factum.shop.shipping.app.ShippingService;
import dev.factum.transport.InProcessTransport;
import dev.factum.shop.inventory.http.StockRoutes;
import dev.factum.shop.load.LoadMain;
import dev.factum.shop.notification.view.NotificationLog;
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
import io.javalin.util.JavalinBindException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the shop until the JVM is stopped (Ctrl-C): an event store, the {@link CommandBus} with the
 * {@link OrderService}, {@link InventoryService}, {@link PaymentService} (through the {@link PaymentGatewaySimulator})
 * and {@link ShippingService} handlers (idempotent by command id, with order snapshots; both kept in the event store's
 * database, so they hold across restarts), the order saga's {@link SagaEngine} with its in-process starter and
 * outcome consumers, the messaging of the selected transport ({@link ShopMessaging}: the inventory, payment and
 * shipping participants answering the saga's requests, the saga's reply consumer, the notification consumer), the
 * order list projection with its queries, and the {@link ShopServer} with the stock and saga
 * endpoints; prints the server's URL.
 *
 * <p>Flags, see {@link ShopOptions#parse} (each also an environment variable): {@code --port=<n>} / {@code SHOP_PORT}
 * (default 8080, 0 picks a free port); {@code --db=<file>} / {@code SHOP_DB} (SQLite file, default
 * {@code ./data/shop.db}, its directory created) or {@code --data-dir=<dir>} / {@code SHOP_DATA_DIR} (the file
 * {@code shop.db} in it); {@code --postgres=<jdbc-url>} / {@code SHOP_POSTGRES_URL} (use PostgreSQL instead, e.g.
 * {@code jdbc:postgresql://localhost:5432/shop?user=shop&password=shop}). A bad flag, an event store that cannot be
 * opened or a port that cannot be bound prints one line on stderr and exits with status 2.
 * {@code --load N} runs the load mode instead ({@link LoadMain}).
 *
 * @since 0.1
 */
public final class ShopMain {
    /** An order's state is snapshotted once a command leaves its stream this many events past the last snapshot. */
    static final int SNAPSHOT_EVERY = 20;
    /** The payment gateway simulator's seed: its outcomes depend only on it and each charge's idempotency key. */
    static final long PAYMENT_SIMULATOR_SEED = 5L;

    private ShopMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (LoadOptions.requested(args)) {
            System.exit(LoadMain.run(args, System.out, System.err)); // the load mode: --load N, see LoadMain
        }
        RunningShop shop;
        try {
            shop = start(args, System.getenv());
        } catch (ShopStartException e) {
            System.err.println("shop: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shop.close();
            stopped.countDown();
        }, "shop-shutdown"));
        System.out.println("factum shop listening on " + shop.uri() + " (events in " + shop.where() + ")");
        stopped.await();
    }

    /**
     * Starts the shop as {@link #main} does, from command-line {@code args} and environment variables {@code env}
     * ({@link ShopOptions#parse}), and returns once it accepts requests; close the result to stop it.
     *
     * @throws ShopStartException for a bad argument, an event store that cannot be opened or a port that cannot be
     *                            bound (nothing stays open)
     */
    public static RunningShop start(String[] args, Map<String, String> env) {
        ShopOptions options;
        try {
            options = ShopOptions.parse(args, env);
        } catch (IllegalArgumentException e) {
            throw new ShopStartException(e.getMessage(), e);
        }
        return start(options);
    }

    /**
     * Starts the shop with {@code options}: opens the event store, starts the projections and the HTTP server, and
     * returns once it accepts requests.
     *
     * @throws ShopStartException if the event store cannot be opened or the port cannot be bound (nothing stays open)
     */
    public static RunningShop start(ShopOptions options) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Optional<String> postgres = options.postgres();
            EventStore store;
            CheckpointStore checkpoints;
            SnapshotStore snapshots;
            CommandResultStore results;
            ViewDatabase views;
            NotificationLog notificationLog;
            Inbox inbox;
            DeadLetterStore deadLetters;
            LeaseStore leases;
            String where;
            if (postgres.isPresent()) {
                PostgresEventStore pg = openPostgres(postgres.get());
                store = pg;
                checkpoints = pg.checkpointStore();
                snapshots = pg.snapshotStore();
                results = pg.commandResultStore();
                views = ViewDatabase.postgres(postgres.get(), pg.config().schema());
                notificationLog = new NotificationLog(Optional.of(pg.config().schema()),
                        () -> DriverManager.getConnection(postgres.get()));
                inbox = pg.inbox();
                deadLetters = pg.deadLetterStore();
                leases = pg.leaseStore();
                where = "PostgreSQL";
            } else {
                Path file = options.db().toAbsolutePath();
                SqliteEventStore sqlite = openSqlite(file);
                store = sqlite;
                checkpoints = sqlite.checkpointStore();
                snapshots = sqlite.snapshotStore();
                results = sqlite.commandResultStore();
                views = ViewDatabase.sqlite(file);
                notificationLog = new NotificationLog(Optional.empty(),
                        () -> DriverManager.getConnection("jdbc:sqlite:" + file));
                inbox = sqlite.inbox();
                deadLetters = sqlite.deadLetterStore();
                leases = sqlite.leaseStore();
                where = "SQLite " + file;
            }
            opened.add(store);
            OrderService orders = new OrderService(store, RepositoryOptions.defaults().snapshots(snapshots, SNAPSHOT_EVERY));
            InventoryService inventory = new InventoryService(store);
            PaymentService payments = new PaymentService(store, new PaymentGatewaySimulator(options.paymentDeclineRate(),
                    options.paymentRefundFailureRate(), options.paymentLatency(), PAYMENT_SIMULATOR_SEED));
            ShippingService shipping = new ShippingService(store);
            CommandBus bus = shipping.register(payments.register(inventory.register(orders.register(CommandBus.builder()))))
                    .interceptor(CommandInterceptors.idempotency(results)) // durable: a resent command id runs once
                    .build();
            SagaEngine<OrderSaga.Data> sagas = SagaEngine.builder(store, OrderSaga.definition(store, bus,
                            id -> orders.find(id).map(loaded -> loaded.state().status()), options.paymentLatency()))
                    .deadLetters(deadLetters).build();
            opened.add(sagas);
            sagas.runInBackground();
            // the other contexts and the saga talk through the integration transport: the participants consume the
            // saga's requests, the engine consumes their replies
            ShopMessaging messaging = ShopMessaging.start(options, store, checkpoints, inbox, deadLetters, leases,
                    notificationLog, List.of(
                            new ShopMessaging.Endpoint(InventoryRequests.consumer(), InventoryRequests.participant(store, bus)),
                            new ShopMessaging.Endpoint(PaymentRequests.consumer(), PaymentRequests.participant(store, bus)),
                            new ShopMessaging.Endpoint(ShippingRequests.consumer(), ShippingRequests.participant(store, bus)),
                            new ShopMessaging.Endpoint(OrderSaga.replyConsumer(), sagas.replyHandler())));
            opened.add(messaging);
            // the saga's own context's consumers read the store in-process whatever the integration transport:
            // durable (checkpointed, at least once) and outside any store transaction, since they write to the store
            InProcessTransport local = new InProcessTransport(store, checkpoints, deadLetters);
            opened.add(local);
            opened.add(local.consume(OrderSagaStarter.options(), new OrderSagaStarter(orders, sagas)));
            opened.add(local.consume(OrderSagaOutcomes.options(), new OrderSagaOutcomes(bus, sagas)));
            OrderListProjection list = new OrderListProjection(views);
            SagaStatusProjection sagaStatus = new SagaStatusProjection(views, OrderSaga.NAME); // GET /sagas?status=
            Projections projections = Projections.builder(store, checkpoints).add(list).add(sagaStatus).build();
            QueryBus queries = new OrderQueries(store, projections, list, views).register(QueryBus.builder()).build();
            projections.start();
            opened.add(projections);
            ShopServer server;
            try {
                server = ShopServer.start(bus, orders, Optional.of(new OrderReadSide(queries, projections)),
                        HttpOptions.defaults().withPort(options.port()), routes(messaging, new StockRoutes(bus, inventory),
                        new SagaRoutes(sagas, new SagaStatusQueries(projections, sagaStatus, views))));
            } catch (JavalinBindException e) {
                throw new ShopStartException("cannot listen on port " + options.port() + ": " + message(e), e);
            }
            opened.add(server);
            return new RunningShop(server.uri(), where, opened);
        } catch (RuntimeException | Error e) {
            closeAll(opened);
            throw e;
        }
    }

    /** The endpoints of the other contexts: messaging's (notifications, dead letters) and {@code more}. */
    private static List<RouteSet> routes(ShopMessaging messaging, RouteSet... more) {
        List<RouteSet> all = new ArrayList<>(messaging.routes());
        all.addAll(List.of(more));
        return all;
    }

    /**
     * Opens the store after one plain connection has shown the database is reachable, so a wrong URL, host or
     * password is one clear line rather than a connection pool's failure.
     */
    private static PostgresEventStore openPostgres(String jdbcUrl) {
        PostgresConfig config;
        try {
            config = PostgresConfig.of(jdbcUrl);
        } catch (IllegalArgumentException e) {
            throw new ShopStartException("--postgres: " + e.getMessage(), e);
        }
        try (Connection probe = DriverManager.getConnection(config.jdbcUrl())) {
            probe.isValid(5);
        } catch (SQLException e) {
            throw new ShopStartException("cannot connect to PostgreSQL at " + config.describe() + ": " + rootMessage(e), e);
        }
        try {
            return PostgresEventStore.open(config);
        } catch (RuntimeException e) {
            throw new ShopStartException("cannot open the PostgreSQL event store: " + message(e), e);
        }
    }

    private static SqliteEventStore openSqlite(Path file) {
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
        } catch (IOException | RuntimeException e) {
            throw new ShopStartException("cannot create the directory of the SQLite file " + file + ": " + message(e), e);
        }
        try {
            return SqliteEventStore.open(SqliteConfig.of(file));
        } catch (RuntimeException e) {
            throw new ShopStartException("cannot open the SQLite event store " + file + ": " + message(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return message(root);
    }

    private static String message(Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
    }

    /** Closes {@code resources} in reverse order; a failure is reported on stderr and does not stop the rest. */
    static void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            AutoCloseable resource = resources.get(i);
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("shop: closing " + resource.getClass().getSimpleName() + " failed: " + e);
            }
        }
    }
}
