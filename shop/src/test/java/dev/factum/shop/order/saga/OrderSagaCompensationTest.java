// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.saga;

import dev.factum.command.CommandBus;
import dev.factum.saga.SagaEngine;
import dev.factum.saga.SagaEvent;
import dev.factum.saga.SagaState;
import dev.factum.saga.SagaStatus;
import dev.factum.shop.inventory.app.InventoryRequests;
import dev.factum.shop.inventory.app.InventoryService;
import dev.factum.shop.inventory.domain.StockCommand.SetStockLevel;
import dev.factum.shop.order.app.OrderService;
import dev.factum.shop.order.domain.OrderCommand.CancelOrder;
import dev.factum.shop.order.domain.OrderCommand.CreateOrder;
import dev.factum.shop.order.domain.OrderCommand.SubmitOrder;
import dev.factum.shop.order.domain.OrderLine;
import dev.factum.shop.payment.app.PaymentGatewaySimulator;
import dev.factum.shop.payment.app.PaymentRequests;
import dev.factum.shop.payment.app.PaymentService;
import dev.factum.shop.payment.domain.PaymentStatus;
import dev.factum.shop.shipping.app.ShippingRequests;
import dev.factum.shop.shipping.app.ShippingService;
import dev.factum.shop.shipping.domain.ShipmentCommand.CancelShipment;
import dev.factum.shop.shipping.domain.ShipmentCommand.CreateShipment;
import dev.factum.shop.shipping.domain.ShipmentStatus;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.test.VirtualClock;
import dev.factum.transport.InProcessTransport;
import dev.factum.transport.Message;
import dev.factum.transport.MessageHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order saga's compensation paths with its participants reached as in the shop: requests appended to the SQLite
 * store, consumed by the inventory, payment and shipping participants over the in-process transport, replies
 * consumed back into the real engine. Time is a {@link VirtualClock}, so timeouts fire when the test says.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderSagaCompensationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private SqliteEventStore store;
    private CommandBus bus;
    private OrderService orders;
    private PaymentService payments;
    private ShippingService shipping;
    private InventoryService inventory;
    private InProcessTransport transport;
    private SagaEngine<OrderSaga.Data> engine;
    private final VirtualClock clock = new VirtualClock();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private OrderSaga.Data data;

    @BeforeEach
    void participants() {
        store = SqliteEventStore.open(SqliteConfig.of(dir.resolve("shop.db")));
        orders = new OrderService(store);
        inventory = new InventoryService(store);
        payments = new PaymentService(store, new PaymentGatewaySimulator(0.0, Duration.ZERO, 5L));
        shipping = new ShippingService(store);
        bus = shipping.register(payments.register(inventory.register(orders.register(CommandBus.builder())))).build();
        bus.send(new SetStockLevel("SKU-1", 10));
        bus.send(new CreateOrder("o-1", "c-1", "EUR", List.of(new OrderLine("SKU-1", 2, new BigDecimal("19.99")))));
        bus.send(new SubmitOrder("o-1"));
        data = new OrderSaga.Data("o-1", "EUR", new BigDecimal("39.98"), List.of(new OrderSaga.Line("SKU-1", 2)), null, null);
        transport = new InProcessTransport(store, store.checkpointStore(), store.deadLetterStore());
        engine = SagaEngine.builder(store, OrderSaga.definition(store, bus,
                        id -> orders.find(id).map(o -> o.state().status()), Duration.ZERO))
                .deadLetters(store.deadLetterStore()).clock(clock).pollInterval(Duration.ofMillis(20)).build()
                .runInBackground();
        opened.add(transport.consume(OrderSaga.replyConsumer(), engine.replyHandler()));
    }

    private void startParticipants(boolean withInventory) {
        if (withInventory) opened.add(transport.consume(InventoryRequests.consumer(), inventory()));
        opened.add(transport.consume(PaymentRequests.consumer(), PaymentRequests.participant(store, bus)));
        opened.add(transport.consume(ShippingRequests.consumer(), ShippingRequests.participant(store, bus)));
    }

    private MessageHandler inventory() {
        return InventoryRequests.participant(store, bus);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened.reversed()) c.close();
        engine.close();
        transport.close();
        store.close();
    }

    private SagaState<OrderSaga.Data> settled(String id) {
        return await().atMost(WAIT).until(() -> engine.find(id).orElseThrow(),
                s -> s.status() != SagaStatus.RUNNING && s.status() != SagaStatus.COMPENSATING);
    }

    private List<String> compensated(String id) {
        return engine.timeline(id).stream().filter(e -> e instanceof SagaEvent.CompensationSucceeded)
                .map(e -> ((SagaEvent.CompensationSucceeded) e).step()).toList();
    }

    private List<Message> requests(String category) {
        return store.readAll(ReadAllOptions.after(Position.BEGINNING).category(category)).stream().map(Message::of).toList();
    }

    @Test
    void a_shipment_that_cannot_be_created_refunds_the_charge_and_releases_the_stock() {
        bus.send(new CreateShipment("o-1", "DHL")); // a shipment cancelled before: a new create is refused
        bus.send(new CancelShipment("o-1", "carrier strike"));
        startParticipants(true);
        engine.start("o-1", data);

        SagaState<OrderSaga.Data> state = settled("o-1");
        assertThat(state.status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(state.failure()).hasValue(OrderSaga.SHIPPING_FAILED);
        assertThat(compensated("o-1")).containsExactly("charge-payment", "reserve-stock");
        assertThat(payments.find("o-1").orElseThrow().status()).isEqualTo(PaymentStatus.REFUNDED);
        assertThat(inventory.find("SKU-1").orElseThrow().available()).isEqualTo(10);
        assertThat(inventory.find("SKU-1").orElseThrow().reserved()).isZero();
    }

    @Test
    void an_order_cancelled_by_an_operator_meanwhile_cancels_the_shipment_refunds_and_releases() {
        bus.send(new CancelOrder("o-1", "customer called"));
        startParticipants(true);
        engine.start("o-1", data);

        SagaState<OrderSaga.Data> state = settled("o-1");
        assertThat(state.status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(state.failure()).hasValue(OrderSaga.ORDER_CLOSED);
        assertThat(compensated("o-1")).containsExactly("create-shipment", "charge-payment", "reserve-stock");
        assertThat(shipping.find("o-1").orElseThrow().status()).isEqualTo(ShipmentStatus.CANCELLED);
        assertThat(payments.find("o-1").orElseThrow().status()).isEqualTo(PaymentStatus.REFUNDED);
        assertThat(inventory.find("SKU-1").orElseThrow().reserved()).isZero();
    }

    @Test
    void the_participants_results_become_the_sagas_data_and_redelivered_requests_have_no_second_effect() throws Exception {
        startParticipants(true);
        engine.start("o-1", data);
        SagaState<OrderSaga.Data> done = settled("o-1");
        assertThat(done.status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(done.data().chargeId()).isEqualTo(payments.find("o-1").orElseThrow().chargeId()).isNotBlank();
        assertThat(done.data().trackingNumber()).isEqualTo(shipping.find("o-1").orElseThrow().trackingNumber()).startsWith("TRK-");
        int timeline = engine.timeline("o-1").size();

        // every request once more, as a broker's redelivery: idempotent participants, duplicate replies ignored
        MessageHandler inventoryAgain = inventory();
        for (Message request : requests(InventoryRequests.CATEGORY)) inventoryAgain.handle(request);
        for (Message request : requests(PaymentRequests.CATEGORY)) PaymentRequests.participant(store, bus).handle(request);
        for (Message request : requests(ShippingRequests.CATEGORY)) ShippingRequests.participant(store, bus).handle(request);
        await().atMost(WAIT).until(() -> requests(OrderSaga.REPLIES).size() == 6);

        assertThat(inventory.find("SKU-1").orElseThrow().reserved()).isEqualTo(2);
        assertThat(payments.find("o-1").orElseThrow().status()).isEqualTo(PaymentStatus.CHARGED);
        assertThat(engine.timeline("o-1")).hasSize(timeline);
        assertThat(orders.find("o-1").orElseThrow().state().status().name()).isEqualTo("CONFIRMED");
    }

    @Test
    void a_reserve_that_never_answered_is_compensated_so_when_it_arrives_late_no_stock_leaks() {
        startParticipants(false); // the inventory participant is down: its requests wait in the store
        engine.start("o-1", data);
        // each attempt of reserve-stock times out; after the last the step itself is compensated (release)
        for (int pass = 0; pass < 30; pass++) {
            SagaState<OrderSaga.Data> waiting = await().atMost(WAIT).until(() -> engine.find("o-1").orElseThrow(),
                    this::waitsForTime);
            if (waiting.open().filter(SagaState.OpenAttempt::compensation).isPresent()) break;
            clock.advance(OrderSaga.STEP_TIMEOUT.plusSeconds(6)); // past the deadline, or past the retry delay
        }
        assertThat(requests(InventoryRequests.CATEGORY)).extracting(Message::type)
                .containsExactly("ReserveStockRequested", "ReserveStockRequested", "ReserveStockRequested",
                        "ReserveStockRequested", "ReserveStockRequested", "ReleaseStockRequested");

        opened.add(transport.consume(InventoryRequests.consumer(), inventory())); // back: every request, in order

        SagaState<OrderSaga.Data> state = settled("o-1");
        assertThat(state.status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(compensated("o-1")).containsExactly("reserve-stock");
        // the late reserves took the units, the release gave them back: nothing stays held for a rejected order
        assertThat(inventory.find("SKU-1").orElseThrow().reserved()).isZero();
        assertThat(inventory.find("SKU-1").orElseThrow().available()).isEqualTo(10);
        assertThat(inventory.find("SKU-1").orElseThrow().released()).containsExactly("o-1");
        assertThat(payments.find("o-1")).isEmpty();
    }

    /** The saga waits for virtual time: an attempt awaiting its reply, or a retry not due yet. */
    private boolean waitsForTime(SagaState<OrderSaga.Data> state) {
        SagaEvent last = engine.timeline(state.id()).getLast();
        if (state.open().isPresent()) {
            return last instanceof SagaEvent.StepAwaiting || last instanceof SagaEvent.CompensationAwaiting;
        }
        return state.retryAt().isPresent();
    }
}
