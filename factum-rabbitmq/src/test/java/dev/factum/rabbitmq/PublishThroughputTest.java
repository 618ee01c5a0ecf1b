// SPDX-License-Identifier: Apache-2.0
package dev.factum.rabbitmq;

import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.Message;
import dev.factum.transport.MessageConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A single measured run, printed, not asserted: 10,000 confirmed messages of about 200 bytes in batches of 500 (the
 * relay's default batch), then consumed with manual acks. Checks only that every message arrived.
 */
class PublishThroughputTest {
    private RabbitFixture rabbit;

    @BeforeEach
    void start() {
        rabbit = new RabbitFixture();
    }

    @AfterEach
    void stop() throws Exception {
        rabbit.close();
    }

    @Test
    void ten_thousand_confirmed_messages() throws Exception {
        ConsumerOptions options = ConsumerOptions.of("throughput", "#").withPrefetch(500);
        rabbit.declare(options);
        String body = "{\"orderId\":\"" + "x".repeat(150) + "\",\"total\":\"19.90\"}";
        List<Message> messages = IntStream.rangeClosed(1, 10_000)
                .mapToObj(i -> RabbitFixture.message("Order-" + (i % 100), "OrderCreated", i, body)).toList();
        rabbit.transport.publish(messages.subList(0, 100)); // warm-up: connection, channel, JIT
        rabbit.drain(rabbit.topology.queue("throughput"));

        long start = System.nanoTime();
        for (int i = 0; i < messages.size(); i += 500) rabbit.transport.publish(messages.subList(i, i + 500));
        double publishSeconds = (System.nanoTime() - start) / 1e9;
        assertThat(rabbit.depth(rabbit.topology.queue("throughput"))).isEqualTo(10_000);

        AtomicLong consumed = new AtomicLong();
        long consumeStart = System.nanoTime();
        MessageConsumer consumer = rabbit.consume(options, m -> consumed.incrementAndGet());
        await().atMost(Duration.ofSeconds(120)).until(() -> consumed.get() == 10_000);
        double consumeSeconds = (System.nanoTime() - consumeStart) / 1e9;
        consumer.close();

        System.out.printf("publish 10,000 x %d B, batches of 500, confirmed: %.2f s = %.0f msg/s; "
                        + "consume (manual ack, prefetch 500): %.2f s = %.0f msg/s%n", body.length(), publishSeconds,
                10_000 / publishSeconds, consumeSeconds, 10_000 / consumeSeconds);
    }
}
