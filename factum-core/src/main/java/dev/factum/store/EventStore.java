// SPDX-License-Identifier: Apache-2.0
package dev.factum.store;

import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;

import java.util.List;

/**
 * The append-only event store: the single source of truth. Blocking and thread-safe; concurrency comes from the
 * caller's (virtual) threads.
 *
 * <p>Guarantees every implementation proves by running the conformance suites of {@code factum-test}:
 * <ul>
 *   <li>an append is one transaction — all its events or none — and its {@link ExpectedVersion} is checked inside it;</li>
 *   <li>re-appending events whose ids are already stored at those versions writes nothing and returns the original
 *       {@link AppendResult}; reusing an id for a different event raises {@link DuplicateEventIdException};</li>
 *   <li>{@link #readAll} returns committed events in strictly increasing position, and a reader that continues after
 *       the last position it saw never misses an event committed later, however many writers commit concurrently and
 *       out of order.</li>
 * </ul>
 *
 * @since 0.1
 */
public interface EventStore extends AutoCloseable {

    /**
     * Appends {@code events}, in order, to {@code stream} if the stream is at the {@code expected} version.
     *
     * @return the versions and positions given to the events (of the original append, if this is a repeat)
     * @throws WrongExpectedVersionException  if the stream is not at the expected version; nothing written
     * @throws DuplicateEventIdException      if an event id is stored already for a different event; nothing written
     * @throws dev.factum.event.InvalidEventException if an event is malformed or too large; nothing written
     * @throws IllegalArgumentException       if {@code events} is empty or repeats an event id
     * @throws StoreClosedException           after {@link #close()}
     * @throws EventStoreException            if the storage underneath fails
     */
    AppendResult append(StreamId stream, ExpectedVersion expected, List<NewEvent> events);

    /** One stream's events in version order, as the options say (direction, first version, limit). */
    List<RecordedEvent> readStream(StreamId stream, ReadStreamOptions options);

    /**
     * Events after a position in the global order, strictly increasing, at most {@code options.limit()} of them,
     * optionally of one category only. An empty list means the reader is caught up.
     */
    List<RecordedEvent> readAll(ReadAllOptions options);

    /** The stream's current version: the version of its last event, or 0 if it does not exist. */
    long streamVersion(StreamId stream);

    /** The position of the last event a reader can see now ({@link Position#BEGINNING} for an empty store). */
    Position headPosition();

    /** Counts for operators: events, streams, head position. May scan; not for hot paths. */
    StoreStatistics statistics();

    /**
     * Registers a callback run after events are committed — by this process, and, where the store can tell
     * (PostgreSQL's LISTEN/NOTIFY), by others. It only signals: keep it short and read with {@link #readAll} to see
     * what arrived. Subscriptions use it to wake up without waiting for their next poll.
     *
     * @return closing it removes the callback
     */
    AutoCloseable onCommit(Runnable callback);

    /** Releases connections and threads. Appends and reads after this raise {@link StoreClosedException}. */
    @Override
    void close();
}
