// SPDX-License-Identifier: Apache-2.0
package dev.factum.transport;

import java.util.List;

/**
 * Publishes messages to a broker with confirmation: {@link #publish} returns only when the broker has durably
 * accepted every message of the batch (RabbitMQ publisher confirms; Kafka {@code acks=all}), in order per stream.
 * Otherwise it throws {@link PublishException} and the caller must treat the whole batch as not sent — the
 * {@link dev.factum.relay.Relay} then sends it again from its checkpoint, so a consumer may see a message twice but
 * never misses one.
 *
 * @since 0.1
 */
public interface MessagePublisher extends AutoCloseable {

    /**
     * Sends {@code messages} and waits for the broker's confirmation of all of them.
     *
     * @throws PublishException if any message is not confirmed
     */
    void publish(List<Message> messages);

    @Override
    void close();
}
