// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.shipping;

import dev.factum.command.CommandBus;
import dev.factum.shop.shipping.app.ShippingService;
import dev.factum.shop.shipping.domain.ShipmentCommand;
import dev.factum.shop.shipping.domain.ShipmentCommand.CancelShipment;
import dev.factum.shop.shipping.domain.ShipmentCommand.CreateShipment;
import dev.factum.shop.shipping.domain.ShipmentEvent;
import dev.factum.shop.shipping.domain.ShipmentEvent.ShipmentCancelled;
import dev.factum.shop.shipping.domain.ShipmentEvent.ShipmentCreated;
import dev.factum.shop.shipping.domain.ShipmentResult;
import dev.factum.shop.shipping.domain.ShipmentState;
import dev.factum.shop.shipping.domain.ShipmentStatus;
import dev.factum.shop.shipping.domain.Shipments;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.store.StreamId;
import dev.factum.test.AggregateFixture;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.factum.shop.shipping.domain.ShipmentRules.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Every shipment rule through the aggregate (AggregateFixture), and the handler on a SQLite store. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShipmentRulesTest {
    static final String ORDER = AggregateFixture.INSTANCE_ID;
    static final String TRACKING = Shipments.trackingNumber(ORDER);

    final AggregateFixture<ShipmentState, ShipmentEvent, ShipmentCommand> none = AggregateFixture.of(Shipments.AGGREGATE);
    final AggregateFixture<ShipmentState, ShipmentEvent, ShipmentCommand> created =
            none.given(new ShipmentCreated(TRACKING, "DHL"));
    final AggregateFixture<ShipmentState, ShipmentEvent, ShipmentCommand> cancelled =
            created.given(new ShipmentCancelled("payment declined"));

    @Nested
    class Create {
        @Test
        void creates_the_shipment_with_a_tracking_number_from_the_order_id() {
            none.when(new CreateShipment(ORDER, "DHL")).then(new ShipmentCreated(TRACKING, "DHL"))
                    .thenState(new ShipmentState(ShipmentStatus.CREATED, TRACKING, "DHL"));
            assertThat(TRACKING).matches("TRK-[0-9A-F]{16}");
        }

        @Test
        void tracking_numbers_differ_between_orders() {
            assertThat(Shipments.trackingNumber("o-1")).isNotEqualTo(Shipments.trackingNumber("o-2"))
                    .isEqualTo(Shipments.trackingNumber("o-1"));
        }

        @Test
        void again_changes_nothing() {
            created.when(new CreateShipment(ORDER, "UPS")).thenNothing()
                    .thenState(new ShipmentState(ShipmentStatus.CREATED, TRACKING, "DHL"));
        }

        @Test
        void after_cancel_is_refused() {
            cancelled.when(new CreateShipment(ORDER, "DHL")).thenRefused(SHIPMENT_CANCELLED);
        }

        @Test
        void without_a_carrier_is_refused() {
            none.when(new CreateShipment(ORDER, " ")).thenRefused(CARRIER_REQUIRED);
        }

        @Test
        void without_an_order_id_is_refused() {
            none.when(new CreateShipment("", "DHL")).thenRefused(ORDER_ID_REQUIRED);
        }
    }

    @Nested
    class Cancel {
        @Test
        void cancels_a_created_shipment() {
            created.when(new CancelShipment(ORDER, "payment declined")).then(new ShipmentCancelled("payment declined"))
                    .thenState(state -> state.status() == ShipmentStatus.CANCELLED);
        }

        @Test
        void twice_has_no_second_effect() {
            cancelled.when(new CancelShipment(ORDER, "again")).thenNothing();
        }

        @Test
        void of_a_shipment_never_created_is_recorded_so_a_late_create_is_refused() {
            none.when(new CancelShipment(ORDER, "saga compensated")).then(new ShipmentCancelled("saga compensated"))
                    .thenState(state -> state.status() == ShipmentStatus.CANCELLED);
            none.given(new ShipmentCancelled("saga compensated")).when(new CreateShipment(ORDER, "DHL"))
                    .thenRefused(SHIPMENT_CANCELLED);
        }

        @Test
        void without_a_reason_is_refused() {
            created.when(new CancelShipment(ORDER, "")).thenRefused(CANCEL_REASON_REQUIRED);
        }
    }

    @Test
    void on_sqlite_a_repeated_create_and_cancel_store_one_event_each(@TempDir Path dir) {
        try (SqliteEventStore store = SqliteEventStore.open(SqliteConfig.of(dir.resolve("shop.db")))) {
            ShippingService shipping = new ShippingService(store);
            CommandBus bus = shipping.register(CommandBus.builder()).build();
            ShipmentResult first = bus.send(new CreateShipment("o-7", "DHL"));
            ShipmentResult again = bus.send(new CreateShipment("o-7", "DHL"));
            assertThat(first.changed()).isTrue();
            assertThat(again.changed()).isFalse();
            assertThat(again.shipment().trackingNumber()).isEqualTo(first.shipment().trackingNumber());
            assertThat(bus.send(new CancelShipment("o-7", "r")).changed()).isTrue();
            assertThat(bus.send(new CancelShipment("o-7", "r")).changed()).isFalse();
            assertThat(store.streamVersion(StreamId.of(Shipments.CATEGORY, "o-7"))).isEqualTo(2);
            assertThat(shipping.find("o-7")).hasValueSatisfying(s -> assertThat(s.status()).isEqualTo(ShipmentStatus.CANCELLED));
            assertThat(shipping.find("o-8")).isEmpty();
        }
    }
}
