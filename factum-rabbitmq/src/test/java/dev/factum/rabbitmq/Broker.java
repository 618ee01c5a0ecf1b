// SPDX-License-Identifier: Apache-2.0
package dev.factum.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real RabbitMQ the tests run against: {@code FACTUM_TEST_RABBITMQ_URI}, by default
 * {@code amqp://guest:guest@127.0.0.1:5672}. Tests fail (never skip) when it is unreachable.
 */
final class Broker {
    static final String URI = System.getenv().getOrDefault("FACTUM_TEST_RABBITMQ_URI",
            "amqp://guest:guest@127.0.0.1:5672");

    private Broker() {
    }

    /** The test configuration: a fresh prefix, short timeouts. */
    static RabbitMqConfig config(String prefix) {
        return RabbitMqConfig.of(URI).withPrefix(prefix).withConfirmTimeout(Duration.ofSeconds(10))
                .withRecoveryInterval(Duration.ofMillis(500));
    }

    static String uniquePrefix() {
        return "factum-test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A plain connection (no recovery) for raw publishing, inspection and clean-up. */
    static Connection connect() {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(URI);
            factory.setAutomaticRecoveryEnabled(false);
            factory.setConnectionTimeout(5_000);
            return factory.newConnection("factum-test-raw");
        } catch (Exception e) {
            throw new AssertionError("RabbitMQ is not reachable at " + URI + " (" + RabbitMqTransport.describe(e) + "). The tests need a real "
                    + "broker: start it with `rabbitmq-server -detached && rabbitmqctl await_startup` "
                    + "(apt-get install rabbitmq-server if it is missing), or point FACTUM_TEST_RABBITMQ_URI at one.", e);
        }
    }

    /** Runs {@code rabbitmqctl args…} on this machine and returns its output; fails the test if it fails. */
    static String rabbitmqctl(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "rabbitmqctl";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("rabbitmqctl " + String.join(" ", args) + " did not finish within 120 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError("rabbitmqctl " + String.join(" ", args) + " exited with "
                        + process.exitValue() + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new AssertionError("cannot run rabbitmqctl (the broker-restart test needs it on this machine, "
                    + "next to the broker): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Deletes the named queues and exchanges, ignoring those that do not exist. */
    static void delete(Iterable<String> queues, Iterable<String> exchanges) {
        try (Connection connection = connect()) {
            for (String queue : queues) {
                Channel channel = connection.createChannel();
                channel.queueDelete(queue);
                channel.close();
            }
            for (String exchange : exchanges) {
                Channel channel = connection.createChannel();
                channel.exchangeDelete(exchange);
                channel.close();
            }
        } catch (Exception e) {
            throw new AssertionError("cleaning up RabbitMQ failed: " + e, e);
        }
    }
}
