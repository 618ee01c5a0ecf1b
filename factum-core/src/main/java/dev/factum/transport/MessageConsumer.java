// SPDX-License-Identifier: Apache-2.0
package dev.factum.transport;

/**
 * A running consumer, from {@link Transport#consume}. Closing it stops delivery after the messages in flight;
 * what was not acknowledged is delivered again to the next consumer of the same name.
 *
 * @since 0.1
 */
public interface MessageConsumer extends AutoCloseable {

    /** The consumer's durable name. */
    String name();

    /** Counters and state, for status pages and tests. */
    ConsumerStatus status();

    /**
     * Hands {@code message} to this consumer's handler once, now, on the caller's thread — how a dead letter is
     * replayed. Throws whatever the handler throws.
     */
    void replay(Message message) throws Exception;

    @Override
    void close();
}
