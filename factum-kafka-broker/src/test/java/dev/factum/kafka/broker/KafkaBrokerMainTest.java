// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka.broker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.factum.kafka.broker.Clients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaBrokerMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void defaults_are_port_9092_its_neighbour_for_the_controller_and_data_kafka() {
        KafkaBrokerOptions options = KafkaBrokerMain.parse(new String[0]);
        assertThat(options.port()).isEqualTo(9092);
        assertThat(options.controllerPort()).isEqualTo(9093);
        assertThat(options.dataDir()).contains(Path.of("data", "kafka"));

        KafkaBrokerOptions given = KafkaBrokerMain.parse(
                new String[]{"--port", "19092", "--controller-port=19500", "--data-dir", "x/y"});
        assertThat(given.port()).isEqualTo(19092);
        assertThat(given.controllerPort()).isEqualTo(19500);
        assertThat(given.dataDir()).contains(Path.of("x/y"));
        assertThat(KafkaBrokerMain.parse(new String[]{"--port=29092"}).controllerPort()).isEqualTo(29093);
    }

    @Test
    void a_bad_argument_is_one_line_naming_it_and_exit_code_2() {
        assertThat(run("--port", "ninety")).isEqualTo(2);
        assertThat(stderr()).startsWith("kafka-broker: --port must be a port number from 1 to 65535, was 'ninety'\n");
        err.reset();
        assertThat(run("--verbose")).isEqualTo(2);
        assertThat(stderr()).startsWith("kafka-broker: unknown argument '--verbose'\n");
        err.reset();
        assertThat(run("--data-dir")).isEqualTo(2);
        assertThat(stderr()).startsWith("kafka-broker: --data-dir needs a value\n");
        err.reset();
        assertThat(run("--port", "9092", "--controller-port", "9092")).isEqualTo(2);
        assertThat(stderr()).startsWith("kafka-broker: port and controllerPort must differ, both were 9092\n");
    }

    @Test
    void a_taken_port_is_one_line_and_exit_code_1(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(run("--port", Integer.toString(taken.getLocalPort()), "--data-dir", dir.toString())).isEqualTo(1);
            assertThat(stderr()).isEqualTo("kafka-broker: the broker's port " + taken.getLocalPort()
                    + " on 127.0.0.1 is taken by another process\n");
        }
    }

    @Test
    void help_prints_the_usage_and_exits_0() {
        assertThat(run("--help")).isZero();
        assertThat(stdout()).isEqualTo(KafkaBrokerMain.USAGE + "\n");
    }

    @Test
    void it_prints_the_address_runs_until_stopped_and_keeps_its_data_for_the_next_run(@TempDir Path dir)
            throws Exception {
        Path dataDir = dir.resolve("data/kafka");
        String[] args = {"--port", Integer.toString(Ports.free()), "--controller-port",
                Integer.toString(Ports.free()), "--data-dir", dataDir.toString()};

        String address = runUntilStarted(args, bootstrap -> {
            try (Admin admin = Clients.admin(bootstrap)) {
                admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1))).all()
                        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
        assertThat(address).isEqualTo("127.0.0.1:" + args[1]);
        assertThat(dataDir.resolve("logs/meta.properties")).exists();

        runUntilStarted(args, bootstrap -> {
            try (Admin admin = Clients.admin(bootstrap)) {
                assertThat(admin.listTopics().names().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).contains("orders");
            }
        });
    }

    private interface WhileRunning {
        void accept(String bootstrap) throws Exception;
    }

    /** Runs the main until it prints its address, does {@code action}, stops it; returns the address printed. */
    private String runUntilStarted(String[] args, WhileRunning action) throws Exception {
        out.reset();
        CountDownLatch stop = new CountDownLatch(1);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run(stop, args));
        Pattern listening = Pattern.compile("factum kafka broker listening on (127\\.0\\.0\\.1:\\d+) ");
        await().atMost(WAIT).until(() -> listening.matcher(stdout()).find() || exit.isDone());
        Matcher matcher = listening.matcher(stdout());
        assertThat(matcher.find()).as("printed: %s%s", stdout(), stderr()).isTrue();
        try {
            action.accept(matcher.group(1));
        } finally {
            stop.countDown();
        }
        assertThat(exit.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isZero();
        assertThat(stdout()).endsWith("factum kafka broker stopping\n");
        return matcher.group(1);
    }

    private int run(String... args) {
        return run(new CountDownLatch(0), args);
    }

    private int run(CountDownLatch stop, String... args) {
        return KafkaBrokerMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), stop);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
