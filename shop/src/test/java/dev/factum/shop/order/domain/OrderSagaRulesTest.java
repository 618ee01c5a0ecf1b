// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.domain;

import dev.factum.shop.order.domain.OrderCommand.CancelOrder;
import dev.factum.shop.order.domain.OrderCommand.ConfirmOrder;
import dev.factum.shop.order.domain.OrderCommand.DeliverOrder;
import dev.factum.shop.order.domain.OrderCommand.PayOrder;
import dev.factum.shop.order.domain.OrderCommand.RejectOrder;
import dev.factum.shop.order.domain.OrderCommand.ShipOrder;
import dev.factum.shop.order.domain.OrderEvent.OrderConfirmed;
import dev.factum.shop.order.domain.OrderEvent.OrderDelivered;
import dev.factum.shop.order.domain.OrderEvent.OrderRejected;
import dev.factum.test.AggregateFixture;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static dev.factum.shop.order.domain.OrderRules.*;
import static dev.factum.shop.order.domain.OrderRulesTest.*;

/** The rules of the saga's outcome on an order: ConfirmOrder and RejectOrder, and what follows them. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderSagaRulesTest {
    static final OrderConfirmed CONFIRMED = new OrderConfirmed("TRK-1");
    static final OrderRejected REJECTED = new OrderRejected("OUT_OF_STOCK");

    final AggregateFixture<OrderState, OrderEvent, OrderCommand> draft = AggregateFixture.of(Orders.AGGREGATE).given(CREATED);
    final AggregateFixture<OrderState, OrderEvent, OrderCommand> submitted = draft.given(SUBMITTED);
    final AggregateFixture<OrderState, OrderEvent, OrderCommand> confirmed = submitted.given(CONFIRMED);
    final AggregateFixture<OrderState, OrderEvent, OrderCommand> rejected = submitted.given(REJECTED);

    @Test
    void a_submitted_order_is_confirmed_with_its_tracking_number() {
        submitted.when(new ConfirmOrder(ID, "TRK-1")).then(CONFIRMED)
                .thenState(new OrderState(true, "c-1", "EUR", OrderStatus.CONFIRMED, List.of(TWO_AT_19_99)));
    }

    @Test
    void a_submitted_order_is_rejected_with_the_sagas_reason() {
        submitted.when(new RejectOrder(ID, "PAYMENT_DECLINED")).then(new OrderRejected("PAYMENT_DECLINED"))
                .thenState(new OrderState(true, "c-1", "EUR", OrderStatus.REJECTED, List.of(TWO_AT_19_99), "PAYMENT_DECLINED"));
    }

    @Test
    void an_order_an_operator_marked_paid_may_still_be_confirmed_or_rejected() {
        submitted.given(PAID).when(new ConfirmOrder(ID, "TRK-1")).then(CONFIRMED);
        submitted.given(PAID).when(new RejectOrder(ID, "OUT_OF_STOCK")).then(REJECTED);
    }

    @Test
    void a_draft_cannot_be_confirmed_or_rejected() {
        draft.when(new ConfirmOrder(ID, "TRK-1")).thenRefused(ORDER_NOT_SUBMITTED);
        draft.when(new RejectOrder(ID, "OUT_OF_STOCK")).thenRefused(ORDER_NOT_SUBMITTED);
    }

    @Test
    void an_outcome_is_recorded_once() {
        confirmed.when(new ConfirmOrder(ID, "TRK-1")).thenRefused(ORDER_ALREADY_DECIDED);
        confirmed.when(new RejectOrder(ID, "OUT_OF_STOCK")).thenRefused(ORDER_ALREADY_DECIDED);
        rejected.when(new RejectOrder(ID, "OUT_OF_STOCK")).thenRefused(ORDER_ALREADY_DECIDED); // a repeat the saga ignores
        submitted.given(PAID, SHIPPED).when(new ConfirmOrder(ID, "TRK-1")).thenRefused(ORDER_ALREADY_DECIDED);
    }

    @Test
    void blank_tracking_number_or_reason_is_refused() {
        submitted.when(new ConfirmOrder(ID, " ")).thenRefused(SHIPMENT_DETAILS_REQUIRED);
        submitted.when(new RejectOrder(ID, "")).thenRefused(CANCEL_REASON_REQUIRED);
    }

    @Test
    void a_confirmed_order_is_delivered_and_cannot_be_paid_shipped_or_cancelled() {
        confirmed.when(new DeliverOrder(ID)).then(new OrderDelivered());
        confirmed.when(new PayOrder(ID, "p-1", new BigDecimal("39.98"))).thenRefused(ORDER_ALREADY_PAID);
        confirmed.when(new ShipOrder(ID, "T-1", "DHL")).thenRefused(ORDER_ALREADY_SHIPPED);
        confirmed.when(new CancelOrder(ID, "too late")).thenRefused(ORDER_ALREADY_SHIPPED);
    }

    @Test
    void a_rejected_order_is_final() {
        rejected.when(new DeliverOrder(ID)).thenRefused(ORDER_REJECTED);
        rejected.when(new PayOrder(ID, "p-1", new BigDecimal("39.98"))).thenRefused(ORDER_REJECTED);
        rejected.when(new ShipOrder(ID, "T-1", "DHL")).thenRefused(ORDER_REJECTED);
        rejected.when(new CancelOrder(ID, "why")).thenRefused(ORDER_REJECTED);
        rejected.when(new OrderCommand.AddItem(ID, "SKU-2", 1, BigDecimal.ONE)).thenRefused(ORDER_REJECTED);
    }
}
