// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.inventory;

import dev.factum.aggregate.RuleViolationException;
import dev.factum.command.CommandBus;
import dev.factum.event.RecordedEvent;
import dev.factum.shop.inventory.app.InventoryService;
import dev.factum.shop.inventory.domain.StockCommand.ReleaseStock;
import dev.factum.shop.inventory.domain.StockCommand.ReserveStock;
import dev.factum.shop.inventory.domain.StockCommand.SetStockLevel;
import dev.factum.shop.inventory.domain.StockRules;
import dev.factum.shop.inventory.domain.StockState;
import dev.factum.shop.inventory.domain.Stocks;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Stock aggregate on the embedded default (a SQLite file) under concurrent reservations of one SKU. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqliteStockConcurrencyTest {
    @TempDir
    Path dir;
    SqliteEventStore store;
    InventoryService inventory;
    CommandBus bus;

    @BeforeEach
    void open() {
        store = SqliteEventStore.open(SqliteConfig.of(dir.resolve("shop.db")));
        inventory = new InventoryService(store);
        bus = inventory.register(CommandBus.builder()).build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void fifty_concurrent_reservations_for_ten_units_exactly_ten_succeed_and_stock_never_goes_negative() throws Exception {
        bus.send(new SetStockLevel("SKU-1", 10));
        int orders = 50;
        ExecutorService pool = Executors.newFixedThreadPool(orders);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < orders; i++) {
                String orderId = "o-" + i;
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        bus.send(new ReserveStock("SKU-1", orderId, 1));
                        return "reserved";
                    } catch (RuleViolationException e) {
                        return e.rule();
                    }
                }));
            }
            start.countDown();
            List<String> results = new ArrayList<>();
            for (Future<String> outcome : outcomes) results.add(outcome.get(60, TimeUnit.SECONDS));

            assertThat(results).filteredOn("reserved"::equals).hasSize(10);
            assertThat(results).filteredOn(StockRules.OUT_OF_STOCK::equals).hasSize(40);
        } finally {
            pool.shutdownNow();
        }
        StockState stock = inventory.find("SKU-1").orElseThrow();
        assertThat(stock.available()).isZero();
        assertThat(stock.reserved()).isEqualTo(10);
        // never negative at any version: fold the stored stream event by event
        StockState state = StockState.NONE;
        for (RecordedEvent recorded : store.readStream(StreamId.of(Stocks.CATEGORY, "SKU-1"), ReadStreamOptions.forward())) {
            state = Stocks.AGGREGATE.evolve(state, Stocks.AGGREGATE.codec().decode(recorded, Stocks.AGGREGATE.eventType()));
            assertThat(state.available()).as("available after version %d", recorded.version()).isNotNegative();
        }
        assertThat(state.reservations()).hasSize(10);
    }

    @Test
    void a_retried_reserve_and_a_repeated_release_are_stored_once() {
        bus.send(new SetStockLevel("SKU-2", 5));
        assertThat(bus.send(new ReserveStock("SKU-2", "o-1", 2)).changed()).isTrue();
        assertThat(bus.send(new ReserveStock("SKU-2", "o-1", 2)).changed()).isFalse();
        assertThat(bus.send(new ReleaseStock("SKU-2", "o-1")).changed()).isTrue();
        assertThat(bus.send(new ReleaseStock("SKU-2", "o-1")).changed()).isFalse();
        // a release for an order that never reserved is recorded (0 units), once, so its late reserve is refused
        assertThat(bus.send(new ReleaseStock("SKU-2", "o-unknown")).changed()).isTrue();
        assertThat(bus.send(new ReleaseStock("SKU-2", "o-unknown")).changed()).isFalse();

        assertThat(store.streamVersion(StreamId.of(Stocks.CATEGORY, "SKU-2"))).isEqualTo(4);
        assertThat(inventory.find("SKU-2").orElseThrow().available()).isEqualTo(5);
        assertThat(inventory.all()).containsOnlyKeys("SKU-2");
    }
}
