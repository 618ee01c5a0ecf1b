// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.domain;

import dev.factum.shop.order.domain.OrderCommand.AddItem;
import dev.factum.shop.order.domain.OrderCommand.CancelOrder;
import dev.factum.shop.order.domain.OrderCommand.CreateOrder;
import dev.factum.shop.order.domain.OrderCommand.DeliverOrder;
import dev.factum.shop.order.domain.OrderCommand.PayOrder;
import dev.factum.shop.order.domain.OrderCommand.RemoveItem;
import dev.factum.shop.order.domain.OrderCommand.ShipOrder;
import dev.factum.shop.order.domain.OrderCommand.SubmitOrder;
import dev.factum.shop.order.domain.OrderEvent.OrderCancelled;
import dev.factum.shop.order.domain.OrderEvent.OrderCreated;
import dev.factum.shop.order.domain.OrderEvent.OrderDelivered;
import dev.factum.shop.order.domain.OrderEvent.OrderItemAdded;
import dev.factum.shop.order.domain.OrderEvent.OrderItemRemoved;
import dev.factum.shop.order.domain.OrderEvent.OrderShipped;
import dev.factum.shop.order.domain.OrderEvent.OrderSubmitted;
import dev.factum.shop.order.domain.OrderEvent.PaymentReceived;
import dev.factum.event.Metadata;
import dev.factum.event.RecordedEvent;
import dev.factum.test.AggregateFixture;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.List;

import static dev.factum.shop.order.domain.OrderRules.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Every order rule, accepted and refused, through the aggregate's own decide and evolve (AggregateFixture). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderRulesTest {
    static final String ID = "o-1";
    static final OrderLine TWO_AT_19_99 = new OrderLine("SKU-1", 2, new BigDecimal("19.99"));
    static final OrderCreated CREATED = new OrderCreated("c-1", "EUR", List.of(TWO_AT_19_99));
    static final OrderSubmitted SUBMITTED = new OrderSubmitted(new BigDecimal("39.98"));
    static final PaymentReceived PAID = new PaymentReceived("p-1", new BigDecimal("39.98"));
    static final OrderShipped SHIPPED = new OrderShipped("T-1", "DHL");
    static final OrderDelivered DELIVERED = new OrderDelivered();
    static final OrderCancelled CANCELLED = new OrderCancelled("changed my mind");

    final AggregateFixture<OrderState, OrderEvent, OrderCommand> none = AggregateFixture.of(Orders.AGGREGATE);
    final AggregateFixture<OrderState, OrderEvent, OrderCommand> draft = none.given(CREATED);
    final AggregateFixture<OrderState, OrderEvent, OrderCommand> submitted = draft.given(SUBMITTED);
    final AggregateFixture<OrderState, OrderEvent, OrderCommand> paid = submitted.given(PAID);
    final AggregateFixture<OrderState, OrderEvent, OrderCommand> shipped = paid.given(SHIPPED);
    final AggregateFixture<OrderState, OrderEvent, OrderCommand> delivered = shipped.given(DELIVERED);
    final AggregateFixture<OrderState, OrderEvent, OrderCommand> cancelled = draft.given(CANCELLED);

    static BigDecimal money(String amount) {
        return new BigDecimal(amount);
    }

    static CreateOrder create(String currency, OrderLine... items) {
        return new CreateOrder(ID, "c-1", currency, List.of(items));
    }

    @Nested
    class Create {
        @Test
        void creates_a_draft_order_in_one_currency_with_its_items() {
            none.when(create("EUR", TWO_AT_19_99))
                    .then(CREATED)
                    .thenState(new OrderState(true, "c-1", "EUR", OrderStatus.DRAFT, List.of(TWO_AT_19_99)));
        }

        @Test
        void an_order_may_start_without_items() {
            none.when(create("USD")).then(new OrderCreated("c-1", "USD", List.of()));
        }

        @Test
        void a_sku_listed_twice_at_one_price_becomes_one_line() {
            none.when(create("EUR", new OrderLine("SKU-1", 1, money("19.99")), new OrderLine("SKU-1", 1, money("19.990"))))
                    .then(new OrderCreated("c-1", "EUR", List.of(new OrderLine("SKU-1", 2, money("19.99")))));
        }

        @Test
        void a_sku_listed_twice_at_two_prices_is_refused() {
            none.when(create("EUR", TWO_AT_19_99, new OrderLine("SKU-1", 1, money("18.00"))))
                    .thenRefused(UNIT_PRICE_MUST_MATCH);
        }

        @Test
        void creating_an_existing_order_is_refused() {
            draft.when(create("EUR")).thenRefused(ORDER_ALREADY_EXISTS);
        }

        @ParameterizedTest
        @ValueSource(strings = {"XYZ", "eur", "EURO", ""})
        void an_unknown_currency_is_refused(String currency) {
            none.when(create(currency)).thenRefused(CURRENCY_UNKNOWN);
        }

        @Test
        void a_blank_customer_is_refused() {
            none.when(new CreateOrder(ID, " ", "EUR", List.of())).thenRefused(CUSTOMER_REQUIRED);
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -1})
        void a_quantity_of_zero_or_less_is_refused(int quantity) {
            none.when(create("EUR", new OrderLine("SKU-1", quantity, money("1")))).thenRefused(QUANTITY_MUST_BE_POSITIVE);
        }

        @Test
        void a_negative_unit_price_is_refused_and_a_free_item_is_accepted() {
            none.when(create("EUR", new OrderLine("SKU-1", 1, money("-0.01")))).thenRefused(AMOUNT_MUST_NOT_BE_NEGATIVE);
            none.when(create("EUR", new OrderLine("GIFT", 1, money("0")))).thenState(s -> s.total().signum() == 0);
        }

        @Test
        void a_price_with_more_than_four_decimal_places_is_refused_but_trailing_zeros_do_not_count() {
            none.when(create("EUR", new OrderLine("SKU-1", 1, money("0.00001")))).thenRefused(AMOUNT_TOO_PRECISE);
            none.when(create("EUR", new OrderLine("SKU-1", 1, money("0.12340000"))))
                    .thenState(s -> s.total().compareTo(money("0.1234")) == 0);
        }

        @Test
        void a_blank_sku_is_refused() {
            none.when(create("EUR", new OrderLine(" ", 1, money("1")))).thenRefused(SKU_REQUIRED);
        }

        @Test
        void more_than_the_largest_quantity_of_one_sku_is_refused() {
            none.when(create("EUR", new OrderLine("SKU-1", MAX_QUANTITY + 1, money("1")))).thenRefused(QUANTITY_TOO_LARGE);
        }
    }

    @Nested
    class Add_item {
        @Test
        void adds_a_new_line() {
            draft.when(new AddItem(ID, "SKU-2", 1, money("5.00")))
                    .then(new OrderItemAdded("SKU-2", 1, money("5.00")))
                    .thenState(s -> s.items().size() == 2 && s.total().compareTo(money("44.98")) == 0);
        }

        @Test
        void adding_an_ordered_sku_increases_its_quantity_at_the_same_price_compared_by_value() {
            draft.when(new AddItem(ID, "SKU-1", 3, money("19.9900")))
                    .thenState(s -> s.items().equals(List.of(new OrderLine("SKU-1", 5, money("19.99")))));
        }

        @Test
        void adding_an_ordered_sku_at_another_price_is_refused() {
            draft.when(new AddItem(ID, "SKU-1", 1, money("17.50"))).thenRefused(UNIT_PRICE_MUST_MATCH);
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -3})
        void a_quantity_of_zero_or_less_is_refused(int quantity) {
            draft.when(new AddItem(ID, "SKU-2", quantity, money("1"))).thenRefused(QUANTITY_MUST_BE_POSITIVE);
        }

        @Test
        void going_beyond_the_largest_quantity_of_one_sku_is_refused() {
            draft.when(new AddItem(ID, "SKU-1", MAX_QUANTITY - 1, money("19.99"))).thenRefused(QUANTITY_TOO_LARGE);
        }

        @Test
        void money_rules_apply() {
            draft.when(new AddItem(ID, "SKU-2", 1, money("-1"))).thenRefused(AMOUNT_MUST_NOT_BE_NEGATIVE);
            draft.when(new AddItem(ID, "SKU-2", 1, money("1.23456"))).thenRefused(AMOUNT_TOO_PRECISE);
            draft.when(new AddItem(ID, "", 1, money("1"))).thenRefused(SKU_REQUIRED);
        }

        @Test
        void items_cannot_change_after_submit() {
            for (var after : List.of(submitted, paid, shipped, delivered)) {
                after.when(new AddItem(ID, "SKU-2", 1, money("1"))).thenRefused(ORDER_ALREADY_SUBMITTED);
            }
            cancelled.when(new AddItem(ID, "SKU-2", 1, money("1"))).thenRefused(ORDER_CANCELLED);
        }

        @Test
        void on_an_order_that_does_not_exist_it_is_refused() {
            none.when(new AddItem(ID, "SKU-2", 1, money("1"))).thenRefused(ORDER_NOT_FOUND);
        }
    }

    @Nested
    class Remove_item {
        @Test
        void removes_the_whole_line() {
            draft.when(new RemoveItem(ID, "SKU-1")).then(new OrderItemRemoved("SKU-1"))
                    .thenState(s -> s.items().isEmpty() && s.total().signum() == 0);
        }

        @Test
        void removing_a_sku_that_is_not_ordered_is_refused() {
            draft.when(new RemoveItem(ID, "SKU-9")).thenRefused(ITEM_NOT_IN_ORDER);
        }

        @Test
        void items_cannot_change_after_submit() {
            submitted.when(new RemoveItem(ID, "SKU-1")).thenRefused(ORDER_ALREADY_SUBMITTED);
            cancelled.when(new RemoveItem(ID, "SKU-1")).thenRefused(ORDER_CANCELLED);
        }

        @Test
        void on_an_order_that_does_not_exist_it_is_refused() {
            none.when(new RemoveItem(ID, "SKU-1")).thenRefused(ORDER_NOT_FOUND);
        }
    }

    @Nested
    class Submit {
        @Test
        void submits_with_the_exact_total() {
            draft.when(new SubmitOrder(ID)).then(SUBMITTED).thenState(s -> s.status() == OrderStatus.SUBMITTED);
        }

        @Test
        void an_empty_order_cannot_be_submitted() {
            none.given(new OrderCreated("c-1", "EUR", List.of())).when(new SubmitOrder(ID)).thenRefused(ORDER_EMPTY);
            draft.given(new OrderItemRemoved("SKU-1")).when(new SubmitOrder(ID)).thenRefused(ORDER_EMPTY);
        }

        @Test
        void submitting_twice_or_a_cancelled_order_is_refused() {
            submitted.when(new SubmitOrder(ID)).thenRefused(ORDER_ALREADY_SUBMITTED);
            paid.when(new SubmitOrder(ID)).thenRefused(ORDER_ALREADY_SUBMITTED);
            cancelled.when(new SubmitOrder(ID)).thenRefused(ORDER_CANCELLED);
        }

        @Test
        void on_an_order_that_does_not_exist_it_is_refused() {
            none.when(new SubmitOrder(ID)).thenRefused(ORDER_NOT_FOUND);
        }
    }

    @Nested
    class Pay {
        @Test
        void the_exact_total_pays_a_submitted_order_compared_by_value() {
            submitted.when(new PayOrder(ID, "p-1", money("39.980")))
                    .then(new PaymentReceived("p-1", money("39.980")))
                    .thenState(s -> s.status() == OrderStatus.PAID);
        }

        @ParameterizedTest
        @ValueSource(strings = {"39.97", "39.99", "0", "79.96"})
        void any_other_amount_is_refused(String amount) {
            submitted.when(new PayOrder(ID, "p-1", money(amount))).thenRefused(PAYMENT_MUST_MATCH_TOTAL);
        }

        @Test
        void money_rules_apply_to_the_amount() {
            submitted.when(new PayOrder(ID, "p-1", money("-39.98"))).thenRefused(AMOUNT_MUST_NOT_BE_NEGATIVE);
            submitted.when(new PayOrder(ID, "p-1", money("39.98001"))).thenRefused(AMOUNT_TOO_PRECISE);
            submitted.when(new PayOrder(ID, " ", money("39.98"))).thenRefused(PAYMENT_ID_REQUIRED);
        }

        @Test
        void only_a_submitted_order_can_be_paid() {
            draft.when(new PayOrder(ID, "p-1", money("39.98"))).thenRefused(ORDER_NOT_SUBMITTED);
            paid.when(new PayOrder(ID, "p-2", money("39.98"))).thenRefused(ORDER_ALREADY_PAID);
            shipped.when(new PayOrder(ID, "p-2", money("39.98"))).thenRefused(ORDER_ALREADY_PAID);
            submitted.given(CANCELLED).when(new PayOrder(ID, "p-1", money("39.98"))).thenRefused(ORDER_CANCELLED);
            none.when(new PayOrder(ID, "p-1", money("39.98"))).thenRefused(ORDER_NOT_FOUND);
        }
    }

    @Nested
    class Ship {
        @Test
        void a_paid_order_ships() {
            paid.when(new ShipOrder(ID, "T-1", "DHL")).then(SHIPPED).thenState(s -> s.status() == OrderStatus.SHIPPED);
        }

        @Test
        void no_shipping_before_payment() {
            draft.when(new ShipOrder(ID, "T-1", "DHL")).thenRefused(ORDER_NOT_PAID);
            submitted.when(new ShipOrder(ID, "T-1", "DHL")).thenRefused(ORDER_NOT_PAID);
        }

        @Test
        void shipping_twice_or_a_cancelled_order_is_refused() {
            shipped.when(new ShipOrder(ID, "T-2", "UPS")).thenRefused(ORDER_ALREADY_SHIPPED);
            delivered.when(new ShipOrder(ID, "T-2", "UPS")).thenRefused(ORDER_ALREADY_SHIPPED);
            paid.given(CANCELLED).when(new ShipOrder(ID, "T-1", "DHL")).thenRefused(ORDER_CANCELLED);
            none.when(new ShipOrder(ID, "T-1", "DHL")).thenRefused(ORDER_NOT_FOUND);
        }

        @Test
        void a_tracking_number_and_a_carrier_are_required() {
            paid.when(new ShipOrder(ID, "", "DHL")).thenRefused(SHIPMENT_DETAILS_REQUIRED);
            paid.when(new ShipOrder(ID, "T-1", " ")).thenRefused(SHIPMENT_DETAILS_REQUIRED);
        }
    }

    @Nested
    class Deliver {
        @Test
        void a_shipped_order_is_delivered() {
            shipped.when(new DeliverOrder(ID)).then(DELIVERED).thenState(s -> s.status() == OrderStatus.DELIVERED);
        }

        @Test
        void delivery_only_after_shipping_and_once() {
            draft.when(new DeliverOrder(ID)).thenRefused(ORDER_NOT_SHIPPED);
            submitted.when(new DeliverOrder(ID)).thenRefused(ORDER_NOT_SHIPPED);
            paid.when(new DeliverOrder(ID)).thenRefused(ORDER_NOT_SHIPPED);
            delivered.when(new DeliverOrder(ID)).thenRefused(ORDER_ALREADY_DELIVERED);
            cancelled.when(new DeliverOrder(ID)).thenRefused(ORDER_CANCELLED);
            none.when(new DeliverOrder(ID)).thenRefused(ORDER_NOT_FOUND);
        }
    }

    @Nested
    class Cancel {
        @Test
        void an_order_can_be_cancelled_before_shipping() {
            for (var before : List.of(draft, submitted, paid)) {
                before.when(new CancelOrder(ID, "changed my mind")).then(CANCELLED)
                        .thenState(s -> s.status() == OrderStatus.CANCELLED);
            }
        }

        @Test
        void not_after_shipping() {
            shipped.when(new CancelOrder(ID, "too late")).thenRefused(ORDER_ALREADY_SHIPPED);
            delivered.when(new CancelOrder(ID, "too late")).thenRefused(ORDER_ALREADY_SHIPPED);
        }

        @Test
        void not_twice() {
            cancelled.when(new CancelOrder(ID, "again")).thenRefused(ORDER_ALREADY_CANCELLED);
        }

        @Test
        void a_reason_is_required_and_the_order_must_exist() {
            draft.when(new CancelOrder(ID, " ")).thenRefused(CANCEL_REASON_REQUIRED);
            none.when(new CancelOrder(ID, "why")).thenRefused(ORDER_NOT_FOUND);
        }
    }

    @Test
    void handled_through_the_real_repository_the_event_is_stored_under_its_name_with_the_commands_metadata() {
        Metadata metadata = Metadata.create().withUserId("u-7");
        submitted.whenHandled(new PayOrder(ID, "p-1", money("39.98")), metadata)
                .then(PAID)
                .thenStored(stored -> {
                    assertThat(stored).extracting(RecordedEvent::type).containsExactly("PaymentReceived");
                    assertThat(stored.getFirst().version()).isEqualTo(3);
                    assertThat(stored.getFirst().metadata().userId()).contains("u-7");
                });
    }

    @Test
    void the_whole_lifecycle_folds_to_a_delivered_order_with_its_lines() {
        OrderState state = Orders.AGGREGATE.fold(Orders.AGGREGATE.initialState(),
                List.of(CREATED, SUBMITTED, PAID, SHIPPED, DELIVERED));

        assertThat(state).isEqualTo(new OrderState(true, "c-1", "EUR", OrderStatus.DELIVERED, List.of(TWO_AT_19_99)));
        assertThat(state.total()).isEqualByComparingTo("39.98");
    }
}
