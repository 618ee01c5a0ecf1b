// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.aggregate.InMemorySnapshotStore;
import dev.factum.aggregate.SnapshotStore;
import dev.factum.command.CommandResultOptions;
import dev.factum.command.CommandResultStore;
import dev.factum.command.InMemoryCommandResultStore;
import dev.factum.inbox.InMemoryInbox;
import dev.factum.inbox.Inbox;
import dev.factum.inbox.InboxOptions;
import dev.factum.relay.InMemoryLeaseStore;
import dev.factum.relay.LeaseStore;
import dev.factum.retry.DeadLetterStore;
import dev.factum.retry.InMemoryDeadLetterStore;
import dev.factum.store.EventStore;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.StoreLimits;
import dev.factum.subscription.CheckpointStore;
import dev.factum.subscription.InMemoryCheckpointStore;
import dev.factum.test.conformance.StoreCapabilities;
import dev.factum.test.conformance.StoreFixture;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The in-memory store under the conformance suites. Memory cannot be shared between instances, so it declares
 * {@code multipleInstances = false}, and {@link #openEventStore} gives a new, empty store with the requested limits:
 * the suites use such a store only for its limits, and check "nothing written" on it. Likewise the snapshot and
 * command result stores, inboxes, dead-letter and lease stores of "another instance" are new and empty, as after a
 * restart.
 */
final class InMemoryStoreFixture implements StoreFixture {
    private final InMemoryEventStore store = new InMemoryEventStore();
    private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    private final InMemorySnapshotStore snapshots = new InMemorySnapshotStore();
    private final InMemoryDeadLetterStore deadLetters = new InMemoryDeadLetterStore();
    private final List<EventStore> opened = new CopyOnWriteArrayList<>();

    @Override
    public EventStore eventStore() {
        return store;
    }

    @Override
    public EventStore openEventStore(StoreLimits limits) {
        EventStore other = new InMemoryEventStore(limits, Clock.systemUTC());
        opened.add(other);
        return other;
    }

    @Override
    public CheckpointStore checkpointStore() {
        return checkpoints;
    }

    @Override
    public SnapshotStore snapshotStore() {
        return snapshots;
    }

    @Override
    public SnapshotStore openSnapshotStore() {
        return new InMemorySnapshotStore();
    }

    @Override
    public CommandResultStore commandResultStore(CommandResultOptions options) {
        return new InMemoryCommandResultStore(InMemoryCommandResultStore.DEFAULT_CAPACITY, options);
    }

    @Override
    public CommandResultStore openCommandResultStore(CommandResultOptions options) {
        return new InMemoryCommandResultStore(InMemoryCommandResultStore.DEFAULT_CAPACITY, options);
    }

    @Override
    public Inbox inboxStore(InboxOptions options) {
        return new InMemoryInbox(options);
    }

    @Override
    public Inbox openInboxStore(InboxOptions options) {
        return new InMemoryInbox(options);
    }

    @Override
    public DeadLetterStore deadLetterStore() {
        return deadLetters;
    }

    @Override
    public DeadLetterStore openDeadLetterStore() {
        return new InMemoryDeadLetterStore();
    }

    @Override
    public LeaseStore leaseStore(Clock clock) {
        return new InMemoryLeaseStore(clock);
    }

    @Override
    public LeaseStore openLeaseStore(Clock clock) {
        return new InMemoryLeaseStore(clock);
    }

    @Override
    public StoreCapabilities capabilities() {
        return new StoreCapabilities(ChronoUnit.MICROS, false, false);
    }

    @Override
    public void close() {
        store.close();
        opened.forEach(EventStore::close);
    }
}
