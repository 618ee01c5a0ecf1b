// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.load;

import dev.factum.command.CommandBus;
import dev.factum.shop.order.app.OrderService;
import dev.factum.shop.order.domain.OrderStatus;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.store.EventStore;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LoadRunnerTest {
    @TempDir
    Path dir;

    @Nested
    class Run {
        @Test
        void drives_every_order_to_delivered_and_counts_them() throws Exception {
            try (EventStore store = SqliteEventStore.open(SqliteConfig.of(dir.resolve("shop.db")))) {
                OrderService orders = new OrderService(store);
                Set<String> ids = ConcurrentHashMap.newKeySet();
                CommandBus bus = orders.register(CommandBus.builder())
                        .interceptor((command, context, chain) -> {
                            ids.add(((dev.factum.shop.order.domain.OrderCommand) command).orderId());
                            return chain.proceed();
                        })
                        .build();
                ByteArrayOutputStream progress = new ByteArrayOutputStream();

                LoadSummary summary = new LoadRunner(bus).run(20, 4, "t-", new PrintStream(progress, true));

                assertThat(summary.completed()).isEqualTo(20);
                assertThat(summary.failed()).isZero();
                assertThat(summary.firstErrors()).isEmpty();
                assertThat(summary.commands()).isEqualTo(20 * 6);
                assertThat(summary.perOrder().getTotalCount()).isEqualTo(20);
                assertThat(summary.perCommand()).containsOnlyKeys("CreateOrder", "AddItem", "SubmitOrder", "PayOrder",
                        "ShipOrder", "DeliverOrder");
                summary.perCommand().values().forEach(h -> assertThat(h.getTotalCount()).isEqualTo(20));
                assertThat(ids).hasSize(20);
                for (String id : ids) {
                    assertThat(orders.find(id)).hasValueSatisfying(loaded -> {
                        assertThat(loaded.state().status()).isEqualTo(OrderStatus.DELIVERED);
                        assertThat(loaded.version()).isEqualTo(6);
                    });
                }
                assertThat(progress.toString(StandardCharsets.UTF_8)).contains("\r[").contains("20/20 orders")
                        .endsWith(System.lineSeparator());
                assertThat(summary.format()).contains("completed 20, failed 0").contains("p99.9")
                        .contains("DeliverOrder").contains("order ");
            }
        }
    }

    @Nested
    class Main {
        @Test
        void runs_on_a_sqlite_file_and_prints_the_summary() {
            Output output = new Output();

            int status = LoadMain.run(new String[] {"--load", "20", "--concurrency", "4",
                    "--db=" + dir.resolve("load.db")}, output.out, output.err);

            assertThat(status).isZero();
            assertThat(output.err()).isEmpty();
            assertThat(output.out()).contains("20/20 orders").contains("completed 20, failed 0")
                    .contains("commands/s");
        }

        @Test
        void runs_on_a_temporary_file() {
            Output output = new Output();

            int status = LoadMain.run(new String[] {"--load=3", "--concurrency=2", "--temp-db"}, output.out,
                    output.err);

            assertThat(status).isZero();
            assertThat(output.out()).contains("completed 3, failed 0");
        }

        @ParameterizedTest
        @ValueSource(strings = {"--load 0", "--load -5", "--load abc", "--load 10 --concurrency 0",
                "--load 10 --concurrency x", "--load", "--concurrency 2", "--load 10 --bogus"})
        void refuses_bad_arguments_with_one_line_and_status_2(String args) {
            Output output = new Output();

            int status = LoadMain.run(args.split(" "), output.out, output.err);

            assertThat(status).isEqualTo(2);
            assertThat(output.out()).isEmpty();
            assertThat(output.err()).startsWith("shop --load: ").doesNotContain("Exception")
                    .doesNotContain("\tat ");
            assertThat(output.err().strip().lines()).hasSize(1);
        }
    }

    private static final class Output {
        final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

        String out() {
            return outBytes.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return errBytes.toString(StandardCharsets.UTF_8);
        }
    }
}
