// SPDX-License-Identifier: Apache-2.0
package dev.factum.inbox;

import dev.factum.FactumException;
import dev.factum.subscription.CheckpointStore.TransactionalWork;
import dev.factum.subscription.StoreTransaction;
import dev.factum.transport.Message;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An inbox in memory, for tests and the in-memory store: one lock around record-and-run, so concurrent duplicates
 * run once. Not durable.
 *
 * @since 0.1
 */
public final class InMemoryInbox implements Inbox {
    private record Key(String consumer, UUID messageId) {
    }

    private record Entry(long position, Instant at) {
    }

    private final Map<Key, Entry> entries = new HashMap<>();
    private final InboxOptions options;

    public InMemoryInbox(InboxOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** {@link InboxOptions#defaults()} with {@code clock}. */
    public InMemoryInbox(Clock clock) {
        this(InboxOptions.defaults().withClock(clock));
    }

    /** {@link InboxOptions#defaults()}. */
    public InMemoryInbox() {
        this(InboxOptions.defaults());
    }

    @Override
    public synchronized boolean handleOnce(String consumer, Message message, TransactionalWork work) {
        if (consumer == null || consumer.isBlank()) throw new IllegalArgumentException("inbox consumer name is blank");
        Key key = new Key(consumer, message.messageId());
        if (entries.containsKey(key)) return false;
        try {
            work.run(StoreTransaction.NONE);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new FactumException("inbox work of consumer '" + consumer + "' failed: " + e.getMessage(), e);
        }
        entries.put(key, new Entry(message.position(), options.clock().instant()));
        return true;
    }

    @Override
    public synchronized boolean contains(String consumer, UUID messageId) {
        return entries.containsKey(new Key(consumer, messageId));
    }

    @Override
    public synchronized int pruneHandledBefore(Instant before) {
        int size = entries.size();
        entries.values().removeIf(entry -> entry.at().isBefore(before));
        return size - entries.size();
    }

    @Override
    public synchronized int pruneExpired() {
        return pruneHandledBefore(options.expiredBefore(options.clock().instant()));
    }

    @Override
    public synchronized int prunePositionsUpTo(String consumer, long position) {
        int size = entries.size();
        entries.entrySet().removeIf(e -> e.getKey().consumer().equals(consumer) && e.getValue().position() <= position);
        return size - entries.size();
    }
}
