// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.inventory;

import dev.factum.shop.inventory.domain.StockCommand;
import dev.factum.shop.inventory.domain.StockCommand.ReleaseStock;
import dev.factum.shop.inventory.domain.StockCommand.ReserveStock;
import dev.factum.shop.inventory.domain.StockCommand.SetStockLevel;
import dev.factum.shop.inventory.domain.StockEvent;
import dev.factum.shop.inventory.domain.StockEvent.StockLevelSet;
import dev.factum.shop.inventory.domain.StockEvent.StockReleased;
import dev.factum.shop.inventory.domain.StockEvent.StockReserved;
import dev.factum.shop.inventory.domain.StockState;
import dev.factum.shop.inventory.domain.Stocks;
import dev.factum.test.AggregateFixture;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static dev.factum.shop.inventory.domain.StockRules.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Every stock rule, accepted and refused, through the aggregate's decide and evolve (AggregateFixture). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StockRulesTest {
    static final String SKU = AggregateFixture.INSTANCE_ID;

    final AggregateFixture<StockState, StockEvent, StockCommand> none = AggregateFixture.of(Stocks.AGGREGATE);
    final AggregateFixture<StockState, StockEvent, StockCommand> ten = none.given(new StockLevelSet(10));
    final AggregateFixture<StockState, StockEvent, StockCommand> reserved = ten.given(new StockReserved("o-1", 3));
    final AggregateFixture<StockState, StockEvent, StockCommand> released = reserved.given(new StockReleased("o-1", 3));

    @Nested
    class Set_stock_level {
        @Test
        void sets_the_units_free_to_reserve() {
            none.when(new SetStockLevel(SKU, 10)).then(new StockLevelSet(10))
                    .thenState(stock -> stock.exists() && stock.available() == 10 && stock.reserved() == 0);
        }

        @Test
        void keeps_the_reservations() {
            reserved.when(new SetStockLevel(SKU, 20)).then(new StockLevelSet(20))
                    .thenState(stock -> stock.available() == 20 && stock.reserved() == 3);
        }

        @Test
        void to_the_same_level_changes_nothing() {
            ten.when(new SetStockLevel(SKU, 10)).thenNothing();
        }

        @Test
        void zero_is_a_level() {
            ten.when(new SetStockLevel(SKU, 0)).then(new StockLevelSet(0));
        }

        @Test
        void below_zero_is_refused() {
            ten.when(new SetStockLevel(SKU, -1)).thenRefused(LEVEL_MUST_NOT_BE_NEGATIVE);
        }

        @Test
        void for_a_blank_sku_is_refused() {
            none.when(new SetStockLevel(" ", 1)).thenRefused(SKU_REQUIRED);
        }
    }

    @Nested
    class Reserve {
        @Test
        void takes_units_from_available() {
            ten.when(new ReserveStock(SKU, "o-1", 3)).then(new StockReserved("o-1", 3))
                    .thenState(stock -> stock.available() == 7 && stock.reserved() == 3);
        }

        @Test
        void all_that_is_available() {
            ten.when(new ReserveStock(SKU, "o-1", 10)).then(new StockReserved("o-1", 10))
                    .thenState(stock -> stock.available() == 0);
        }

        @Test
        void more_than_available_is_out_of_stock() {
            var then = reserved.when(new ReserveStock(SKU, "o-2", 8)).thenRefused(OUT_OF_STOCK);
            assertThat(then.refusal()).hasMessage("8 of fixture asked, 7 available");
        }

        @Test
        void of_a_sku_never_stocked_is_out_of_stock() {
            none.when(new ReserveStock(SKU, "o-1", 1)).thenRefused(OUT_OF_STOCK);
        }

        @Test
        void again_for_the_same_order_and_quantity_changes_nothing() {
            reserved.when(new ReserveStock(SKU, "o-1", 3)).thenNothing()
                    .thenState(stock -> stock.available() == 7 && stock.reserved() == 3);
        }

        @Test
        void again_for_the_same_order_with_another_quantity_is_refused() {
            reserved.when(new ReserveStock(SKU, "o-1", 4)).thenRefused(RESERVATION_MISMATCH);
        }

        @Test
        void again_after_its_release_is_refused() {
            released.when(new ReserveStock(SKU, "o-1", 3)).thenRefused(RESERVATION_RELEASED);
        }

        @Test
        void zero_units_is_refused() {
            ten.when(new ReserveStock(SKU, "o-1", 0)).thenRefused(QUANTITY_MUST_BE_POSITIVE);
        }

        @Test
        void without_an_order_id_is_refused() {
            ten.when(new ReserveStock(SKU, "", 1)).thenRefused(ORDER_ID_REQUIRED);
        }
    }

    @Nested
    class Release {
        @Test
        void gives_the_reserved_units_back() {
            reserved.when(new ReleaseStock(SKU, "o-1")).then(new StockReleased("o-1", 3))
                    .thenState(stock -> stock.available() == 10 && stock.reserved() == 0);
        }

        @Test
        void twice_has_no_second_effect() {
            released.when(new ReleaseStock(SKU, "o-1")).thenNothing()
                    .thenState(stock -> stock.available() == 10);
        }

        @Test
        void of_an_order_that_never_reserved_is_recorded_so_its_late_reserve_is_refused() {
            var afterRelease = reserved.given(new StockReleased("o-9", 0));
            reserved.when(new ReleaseStock(SKU, "o-9")).then(new StockReleased("o-9", 0))
                    .thenState(stock -> stock.available() == 7 && stock.reserved() == 3);
            afterRelease.when(new ReserveStock(SKU, "o-9", 1)).thenRefused(RESERVATION_RELEASED);
            afterRelease.when(new ReleaseStock(SKU, "o-9")).thenNothing();
        }

        @Test
        void of_a_sku_never_stocked_has_no_effect() {
            none.when(new ReleaseStock(SKU, "o-1")).thenNothing();
        }
    }
}
