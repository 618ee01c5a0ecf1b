// SPDX-License-Identifier: Apache-2.0
package dev.factum.inbox;

import dev.factum.subscription.CheckpointStore.TransactionalWork;
import dev.factum.transport.Message;

import java.time.Instant;
import java.util.UUID;

/**
 * A consumer's record of the messages it handled, so that a redelivered message has no second effect.
 * {@link #handleOnce} records (consumer, message id) and runs the handler's work in one transaction: on SQLite and
 * PostgreSQL the work writes through {@link dev.factum.subscription.StoreTransaction#connection()}, so the effect and
 * the record commit together or not at all; a message already recorded for that consumer is skipped.
 *
 * <p><b>Bounded.</b> Entries are removed by {@link #pruneHandledBefore} (age) or {@link #prunePositionsUpTo} (a
 * position watermark below which nothing can be redelivered). A message redelivered after its entry was pruned is
 * handled again, so the retention must be longer than the longest redelivery delay of the transport (the relay's
 * resend after a crash, a broker's redelivery, the last retry) — {@link InboxOptions#DEFAULT_RETENTION a week} by
 * default. Nothing prunes on its own: whoever runs the consumers calls {@link #pruneExpired()} periodically (hourly is
 * plenty).
 *
 * @since 0.1
 */
public interface Inbox {

    /**
     * Runs {@code work} if {@code consumer} has not handled {@code message} yet, recording it in the same
     * transaction. Returns {@code true} if the work ran and committed, {@code false} if the message was a duplicate
     * (nothing ran). If the work throws, nothing is recorded and the exception propagates (checked exceptions
     * wrapped in a {@link dev.factum.FactumException}).
     *
     * @throws IllegalArgumentException if {@code consumer} is blank
     */
    boolean handleOnce(String consumer, Message message, TransactionalWork work);

    /** Whether {@code consumer} has recorded {@code messageId}. */
    boolean contains(String consumer, UUID messageId);

    /** Removes entries recorded before {@code before}; returns how many. */
    int pruneHandledBefore(Instant before);

    /**
     * Removes the entries older than this inbox's retention ({@link InboxOptions#retention()}): those recorded before
     * its clock's now minus the retention. Returns how many.
     */
    int pruneExpired();

    /** Removes {@code consumer}'s entries whose message position is at most {@code position}; returns how many. */
    int prunePositionsUpTo(String consumer, long position);
}
