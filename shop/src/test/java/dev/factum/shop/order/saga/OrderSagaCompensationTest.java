// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.saga;

import dev.factum.command.CommandBus;
import dev.factum.saga.SagaStatus;
import dev.factum.shop.inventory.app.InventoryService;
import dev.factum.shop.inventory.domain.StockCommand.SetStockLevel;
import dev.factum.shop.order.app.OrderService;
import dev.factum.shop.order.domain.OrderCommand.CancelOrder;
import dev.factum.shop.order.domain.OrderCommand.CreateOrder;
import dev.factum.shop.order.domain.OrderCommand.SubmitOrder;
import dev.factum.shop.order.domain.OrderLine;
import dev.factum.shop.payment.app.PaymentGatewaySimulator;
import dev.factum.shop.payment.app.PaymentService;
import dev.factum.shop.payment.domain.PaymentStatus;
import dev.factum.shop.shipping.app.ShippingService;
import dev.factum.shop.shipping.domain.ShipmentCommand.CancelShipment;
import dev.factum.shop.shipping.domain.ShipmentCommand.CreateShipment;
import dev.factum.shop.shipping.domain.ShipmentStatus;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.test.SagaFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order saga's later compensation paths, which the HTTP tests cannot provoke: the saga definition on
 * {@link SagaFixture} (the real engine, virtual time), its participants' real services on a SQLite file.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderSagaCompensationTest {
    @TempDir
    Path dir;
    private SqliteEventStore store;
    private CommandBus bus;
    private OrderService orders;
    private PaymentService payments;
    private ShippingService shipping;
    private InventoryService inventory;
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
    }

    @AfterEach
    void close() {
        store.close();
    }

    private SagaFixture<OrderSaga.Data> saga() {
        return SagaFixture.of(OrderSaga.definition(bus, id -> orders.find(id).map(o -> o.state().status()), Duration.ZERO));
    }

    @Test
    void a_shipment_that_cannot_be_created_refunds_the_charge_and_releases_the_stock() {
        bus.send(new CreateShipment("o-1", "DHL")); // a shipment cancelled before: a new create is refused
        bus.send(new CancelShipment("o-1", "carrier strike"));
        try (var saga = saga()) {
            saga.when("o-1", data)
                    .then(SagaStatus.COMPENSATED)
                    .thenStepsStarted("reserve-stock", "charge-payment", "create-shipment")
                    .thenCompensated("charge-payment", "reserve-stock")
                    .thenState(state -> assertThat(state.failure()).hasValue(OrderSaga.SHIPPING_FAILED));
        }
        assertThat(payments.find("o-1").orElseThrow().status()).isEqualTo(PaymentStatus.REFUNDED);
        assertThat(inventory.find("SKU-1").orElseThrow().available()).isEqualTo(10);
        assertThat(inventory.find("SKU-1").orElseThrow().reserved()).isZero();
    }

    @Test
    void an_order_cancelled_by_an_operator_meanwhile_cancels_the_shipment_refunds_and_releases() {
        bus.send(new CancelOrder("o-1", "customer called"));
        try (var saga = saga()) {
            saga.when("o-1", data)
                    .then(SagaStatus.COMPENSATED)
                    .thenCompensated("create-shipment", "charge-payment", "reserve-stock")
                    .thenState(state -> assertThat(state.failure()).hasValue(OrderSaga.ORDER_CLOSED));
        }
        assertThat(shipping.find("o-1").orElseThrow().status()).isEqualTo(ShipmentStatus.CANCELLED);
        assertThat(payments.find("o-1").orElseThrow().status()).isEqualTo(PaymentStatus.REFUNDED);
        assertThat(inventory.find("SKU-1").orElseThrow().reserved()).isZero();
    }

    @Test
    void a_step_run_again_has_no_second_effect() {
        try (var first = saga()) {
            first.when("o-1", data).then(SagaStatus.COMPLETED);
        }
        try (var again = saga()) { // the same order's steps once more, as after a lost answer
            again.when("o-1", data).then(SagaStatus.COMPLETED);
        }
        assertThat(inventory.find("SKU-1").orElseThrow().reserved()).isEqualTo(2);
        assertThat(payments.find("o-1").orElseThrow().status()).isEqualTo(PaymentStatus.CHARGED);
        assertThat(orders.find("o-1").orElseThrow().state().status().name()).isEqualTo("CONFIRMED");
    }
}
