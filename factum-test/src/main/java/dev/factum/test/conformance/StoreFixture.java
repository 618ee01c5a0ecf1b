// SPDX-License-Identifier: Apache-2.0
package dev.factum.test.conformance;

import dev.factum.aggregate.SnapshotStore;
import dev.factum.command.CommandResultOptions;
import dev.factum.command.CommandResultStore;
import dev.factum.inbox.Inbox;
import dev.factum.inbox.InboxOptions;
import dev.factum.relay.LeaseStore;
import dev.factum.retry.DeadLetterStore;
import dev.factum.store.EventStore;
import dev.factum.store.StoreLimits;
import dev.factum.subscription.CheckpointStore;

import java.time.Clock;
import java.util.List;

/**
 * The whole interface between the conformance suites and a store. A fixture owns one empty database (a temporary
 * SQLite file, a fresh PostgreSQL schema, a new in-memory store) and hands out the store's ports over it; suites never
 * clean up. Accessors a store does not implement fail with a message naming the method to override — a suite never
 * skips.
 *
 * @since 0.1
 */
public interface StoreFixture extends AutoCloseable {

    /** The event store under test, over this fixture's empty database; the same instance on every call. */
    EventStore eventStore();

    /**
     * A second, independent store instance over the same database, with other limits — as another process would open
     * it (its own connections, its own writer). The fixture closes it.
     */
    default EventStore openEventStore(StoreLimits limits) {
        throw new UnsupportedOperationException(getClass().getName() + " must override openEventStore(StoreLimits)");
    }

    /** The checkpoint store over the same database as {@link #eventStore()}. */
    default CheckpointStore checkpointStore() {
        throw new UnsupportedOperationException(getClass().getName() + " must override checkpointStore()");
    }

    /** The snapshot store over the same database as {@link #eventStore()}. */
    default SnapshotStore snapshotStore() {
        throw new UnsupportedOperationException(getClass().getName() + " must override snapshotStore()");
    }

    /**
     * The snapshot store of another store instance over the same database, as another process or this one after a
     * restart would open it. A store without {@link StoreCapabilities#multipleInstances()} hands back a new, empty one.
     */
    default SnapshotStore openSnapshotStore() {
        throw new UnsupportedOperationException(getClass().getName() + " must override openSnapshotStore()");
    }

    /**
     * A command result store with {@code options} over the same database as {@link #eventStore()}. Suites call it
     * once per test; an in-memory fixture may give a new store each call.
     */
    default CommandResultStore commandResultStore(CommandResultOptions options) {
        throw new UnsupportedOperationException(getClass().getName()
                + " must override commandResultStore(CommandResultOptions)");
    }

    /**
     * The command result store of another store instance over the same database, as another process or this one after
     * a restart would open it. A store without {@link StoreCapabilities#multipleInstances()} hands back a new, empty
     * one.
     */
    default CommandResultStore openCommandResultStore(CommandResultOptions options) {
        throw new UnsupportedOperationException(getClass().getName()
                + " must override openCommandResultStore(CommandResultOptions)");
    }

    /**
     * An inbox with {@code options} over the same database as {@link #eventStore()}: its work runs in a transaction on
     * that database where the store declares {@link StoreCapabilities#transactionalCheckpoints()}.
     */
    default Inbox inboxStore(InboxOptions options) {
        throw new UnsupportedOperationException(getClass().getName() + " must override inboxStore(InboxOptions)");
    }

    /**
     * The inbox of another store instance over the same database, as another process or this one after a restart
     * would open it. A store without {@link StoreCapabilities#multipleInstances()} hands back a new, empty one.
     */
    default Inbox openInboxStore(InboxOptions options) {
        throw new UnsupportedOperationException(getClass().getName() + " must override openInboxStore(InboxOptions)");
    }

    /** The dead-letter store over the same database as {@link #eventStore()}. */
    default DeadLetterStore deadLetterStore() {
        throw new UnsupportedOperationException(getClass().getName() + " must override deadLetterStore()");
    }

    /**
     * The dead-letter store of another store instance over the same database (a restart, or another process). A store
     * without {@link StoreCapabilities#multipleInstances()} hands back a new, empty one.
     */
    default DeadLetterStore openDeadLetterStore() {
        throw new UnsupportedOperationException(getClass().getName() + " must override openDeadLetterStore()");
    }

    /** A lease store over the same database as {@link #eventStore()} whose "now" is {@code clock}. */
    default LeaseStore leaseStore(Clock clock) {
        throw new UnsupportedOperationException(getClass().getName() + " must override leaseStore(Clock)");
    }

    /**
     * The lease store of another store instance over the same database (another process), whose "now" is
     * {@code clock}. A store without {@link StoreCapabilities#multipleInstances()} hands back a new, empty one.
     */
    default LeaseStore openLeaseStore(Clock clock) {
        throw new UnsupportedOperationException(getClass().getName() + " must override openLeaseStore(Clock)");
    }

    /** What this store can do and how it differs, as data; suites pick the matching assertion, never a skip. */
    StoreCapabilities capabilities();

    /**
     * Store-specific trouble that {@code ConcurrentWritersConformance} mixes in while its writers run: each call of a
     * runnable is one episode (on PostgreSQL: a transaction that takes the append path, holds it open a while and rolls
     * back). Empty for stores without such trouble.
     */
    default List<Runnable> interferences() {
        return List.of();
    }

    /** Closes every store instance and connection this fixture opened and drops its database. */
    @Override
    void close();
}
