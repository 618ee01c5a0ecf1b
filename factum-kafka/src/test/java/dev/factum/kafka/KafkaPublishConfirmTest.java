// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka;

import dev.factum.kafka.broker.KafkaBroker;
import dev.factum.kafka.broker.KafkaBrokerExtension;
import dev.factum.retry.InMemoryDeadLetterStore;
import dev.factum.transport.Message;
import dev.factum.transport.PublishException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static dev.factum.kafka.KafkaTests.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Confirm semantics against a private broker the test stops and starts. */
@ExtendWith(KafkaBrokerExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaPublishConfirmTest {
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(3);

    @Test
    void publish_returns_after_the_acknowledgement_and_fails_retryably_while_the_broker_is_down(KafkaBroker broker) {
        KafkaConfig config = KafkaTests.config(broker.bootstrapServers()).withDeliveryTimeout(DELIVERY_TIMEOUT);
        try (KafkaTransport transport = KafkaTransport.start(config, new InMemoryDeadLetterStore())) {
            Message first = message("Order-1", "OrderPlaced");
            transport.publish(List.of(first));
            assertThat(KafkaTests.readMessages(broker.bootstrapServers(), config.naming().topic("Order"), 2, 1))
                    .as("acknowledged means stored: a reader finds it").hasSize(1);

            broker.stop();
            Message second = message("Order-1", "OrderPaid");
            long began = System.nanoTime();
            // bounded: the delivery timeout plus time to spare for a slow machine
            assertTimeoutPreemptively(DELIVERY_TIMEOUT.plusSeconds(20), () ->
                    assertThatThrownBy(() -> transport.publish(List.of(second)))
                            .isInstanceOfSatisfying(PublishException.class, e -> {
                                assertThat(e.retryable()).isTrue();
                                assertThat(e.getMessage()).contains("nothing of the batch counts as sent");
                            }));
            System.out.printf("publish failed %d ms after the broker stopped (delivery timeout %d ms)%n",
                    (System.nanoTime() - began) / 1_000_000, DELIVERY_TIMEOUT.toMillis());

            broker.start();
            transport.publish(List.of(second));
            assertThat(KafkaTests.readMessages(broker.bootstrapServers(), config.naming().topic("Order"), 2, 2))
                    .extracting(record -> KafkaTests.header(record, dev.factum.transport.MessageHeaders.MESSAGE_ID))
                    .contains(first.messageId().toString(), second.messageId().toString());
        }
    }
}
