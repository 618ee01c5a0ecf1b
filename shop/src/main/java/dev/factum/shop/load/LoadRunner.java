// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.load;

import dev.factum.command.CommandBus;
import dev.factum.command.CommandContext;
import dev.factum.shop.order.domain.OrderCommand;
import dev.factum.shop.order.domain.OrderCommand.AddItem;
import dev.factum.shop.order.domain.OrderCommand.CreateOrder;
import dev.factum.shop.order.domain.OrderCommand.DeliverOrder;
import dev.factum.shop.order.domain.OrderCommand.PayOrder;
import dev.factum.shop.order.domain.OrderCommand.ShipOrder;
import dev.factum.shop.order.domain.OrderCommand.SubmitOrder;
import dev.factum.shop.order.domain.OrderLine;
import dev.factum.shop.order.domain.OrderResult;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives orders through their lifecycle on a {@link CommandBus} that has the order handlers registered: for each
 * order, {@code CreateOrder} (one line), {@code AddItem}, {@code SubmitOrder}, {@code PayOrder} with the exact total
 * the submit answered, {@code ShipOrder} and {@code DeliverOrder}, in-process and blocking. {@code concurrency}
 * virtual threads take orders one at a time until all are done. A command that throws fails its order (the rest of
 * that order is skipped) and the run goes on; the first errors are kept for the summary.
 *
 * @since 0.1
 */
public final class LoadRunner {
    /** How many error lines a summary keeps. */
    public static final int MAX_ERRORS = 5;

    private static final List<String> COMMANDS = List.of("CreateOrder", "AddItem", "SubmitOrder", "PayOrder",
            "ShipOrder", "DeliverOrder");
    private static final int BAR = 30;

    private final CommandBus bus;

    public LoadRunner(CommandBus bus) {
        this.bus = java.util.Objects.requireNonNull(bus, "bus");
    }

    /**
     * Runs {@code orders} orders with {@code concurrency} workers, redrawing a one-line progress bar on
     * {@code progress} (with {@code \r}) a few times a second and once at the end, followed by a line break.
     *
     * @param orderIdPrefix prefix of the generated order ids ({@code <prefix><uuid>})
     * @return the summary; blocks until every order is done
     */
    public LoadSummary run(int orders, int concurrency, String orderIdPrefix, PrintStream progress)
            throws InterruptedException {
        if (orders < 1 || concurrency < 1) throw new IllegalArgumentException("orders and concurrency must be ≥ 1");
        AtomicInteger next = new AtomicInteger();
        AtomicLong completed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong commands = new AtomicLong();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Worker> workers = new ArrayList<>();
        long start = System.nanoTime();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "load-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() -> draw(progress, completed.get() + failed.get(), orders, completed.get(), start),
                0, 200, TimeUnit.MILLISECONDS);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                Worker worker = new Worker();
                workers.add(worker);
                threads.submit(() -> {
                    for (int i = next.getAndIncrement(); i < orders; i = next.getAndIncrement()) {
                        String id = orderIdPrefix + UUID.randomUUID();
                        try {
                            worker.order(id, commands);
                            completed.incrementAndGet();
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                            synchronized (errors) {
                                if (errors.size() < MAX_ERRORS) errors.add("order " + id + ": " + e);
                            }
                        }
                    }
                });
            }
        } finally {
            ticker.shutdownNow();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        draw(progress, completed.get() + failed.get(), orders, completed.get(), start);
        progress.println();
        progress.flush();
        Map<String, Histogram> perCommand = new LinkedHashMap<>();
        Histogram perOrder = histogram();
        for (String name : COMMANDS) perCommand.put(name, histogram());
        for (Worker worker : workers) {
            worker.perCommand.forEach((name, h) -> perCommand.get(name).add(h));
            perOrder.add(worker.perOrder);
        }
        return new LoadSummary(completed.get(), failed.get(), errors, commands.get(), elapsed, perCommand, perOrder);
    }

    private static void draw(PrintStream out, long done, int total, long completed, long start) {
        int filled = (int) (done * BAR / total);
        double seconds = Math.max(System.nanoTime() - start, 1) / 1e9;
        synchronized (out) {
            out.print(String.format(Locale.ROOT, "\r[%s%s] %d/%d orders  %.0f orders/s   ", "#".repeat(filled),
                    " ".repeat(BAR - filled), done, total, completed / seconds));
            out.flush();
        }
    }

    private static Histogram histogram() {
        Histogram h = new Histogram(3);
        h.setAutoResize(true);
        return h;
    }

    /** One worker's histograms, touched only by its own thread until the run has ended. */
    private final class Worker {
        final Map<String, Histogram> perCommand = new LinkedHashMap<>();
        final Histogram perOrder = histogram();

        void order(String id, AtomicLong commands) {
            long begin = System.nanoTime();
            send(new CreateOrder(id, "load-customer", "EUR",
                    List.of(new OrderLine("SKU-1", 2, new BigDecimal("19.99")))), id, commands);
            send(new AddItem(id, "SKU-2", 1, new BigDecimal("5.00")), id, commands);
            OrderResult submitted = send(new SubmitOrder(id), id, commands);
            send(new PayOrder(id, "pay-" + id, submitted.state().total()), id, commands);
            send(new ShipOrder(id, "track-" + id, "DHL"), id, commands);
            send(new DeliverOrder(id), id, commands);
            perOrder.recordValue(System.nanoTime() - begin);
        }

        private OrderResult send(OrderCommand command, String correlationId, AtomicLong commands) {
            long begin = System.nanoTime();
            OrderResult result = bus.send(command, CommandContext.create().withCorrelationId(correlationId));
            perCommand.computeIfAbsent(command.getClass().getSimpleName(), n -> histogram())
                    .recordValue(System.nanoTime() - begin);
            commands.incrementAndGet();
            return result;
        }
    }
}
