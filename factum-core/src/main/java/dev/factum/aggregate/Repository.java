// SPDX-License-Identifier: Apache-2.0
package dev.factum.aggregate;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.event.EventIds;
import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.event.codec.EventCodec;
import dev.factum.store.AppendResult;
import dev.factum.store.EventStore;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StreamId;
import dev.factum.store.WrongExpectedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Loads instances of one {@link Aggregate} from an {@link EventStore} and handles commands on them.
 *
 * <p>{@link #load} replays the stream (from the latest matching snapshot, if snapshots are on).
 * {@link #handle} loads, decides, and appends the new events with the loaded version as the
 * {@link dev.factum.store.ExpectedVersion} ({@code noStream()} for a new stream). When another writer appended first,
 * the append is refused with {@link WrongExpectedVersionException} and the whole command — load, decide, append — runs
 * again, up to {@link RepositoryOptions#maxAttempts()} times in all; the last refusal propagates. A
 * {@link RuleViolationException} from {@code decide} propagates at once, with nothing written. Undecodable stored
 * events raise {@link dev.factum.event.codec.EventDecodingException}.
 *
 * <p>Snapshots (optional, see {@link RepositoryOptions#snapshots}) are saved after an append that leaves the stream
 * {@code snapshotEvery} or more events past the snapshot it was loaded from (or past version 0), as JSON written with
 * {@link EventCodec#defaultMapper()} and tagged with the {@link StateFingerprint} of the state class. A snapshot with
 * another fingerprint, or one that cannot be read, is ignored and the stream replayed in full; the next command then
 * replaces it. Failing to save or load a snapshot never fails a command: it is logged.
 *
 * <p>Thread-safe; blocking.
 *
 * @since 0.1
 */
public final class Repository<S, E, C> {
    private static final Logger log = LoggerFactory.getLogger(Repository.class);

    private final Aggregate<S, E, C> aggregate;
    private final EventStore store;
    private final RepositoryOptions options;
    private final ObjectMapper snapshotMapper = EventCodec.defaultMapper();
    private final String fingerprint;

    private Repository(Aggregate<S, E, C> aggregate, EventStore store, RepositoryOptions options) {
        this.aggregate = Objects.requireNonNull(aggregate, "aggregate");
        this.store = Objects.requireNonNull(store, "store");
        this.options = Objects.requireNonNull(options, "options");
        this.fingerprint = StateFingerprint.of(aggregate.stateType());
    }

    /** A repository of {@code aggregate} instances in {@code store}, handling commands as {@code options} say. */
    public static <S, E, C> Repository<S, E, C> of(Aggregate<S, E, C> aggregate, EventStore store, RepositoryOptions options) {
        return new Repository<>(aggregate, store, options);
    }

    /** {@link #of(Aggregate, EventStore, RepositoryOptions)} with {@link RepositoryOptions#defaults()}. */
    public static <S, E, C> Repository<S, E, C> of(Aggregate<S, E, C> aggregate, EventStore store) {
        return of(aggregate, store, RepositoryOptions.defaults());
    }

    public Aggregate<S, E, C> aggregate() {
        return aggregate;
    }

    /**
     * The current state of instance {@code id}: the initial state at version 0 if its stream has no events.
     *
     * @throws dev.factum.event.codec.EventDecodingException if a stored event cannot be decoded
     */
    public LoadedState<S> load(String id) {
        return replay(aggregate.streamId(id)).loaded();
    }

    /**
     * Handles {@code command} on instance {@code id}: load, decide, append, retried on a concurrent writer. Each new
     * event gets {@code metadata} with a fresh event id.
     *
     * @throws RuleViolationException        if the command breaks a business rule; nothing written
     * @throws WrongExpectedVersionException if every attempt met a concurrent writer; nothing written
     * @throws dev.factum.event.codec.EventDecodingException if a stored event cannot be decoded
     */
    public HandledCommand<S, E> handle(String id, C command, Metadata metadata) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(metadata, "metadata");
        for (int attempt = 1; ; attempt++) {
            Replayed<S> replayed = replay(aggregate.streamId(id));
            LoadedState<S> loaded = replayed.loaded();
            List<E> events = aggregate.decide(loaded.state(), command);
            if (events.isEmpty()) {
                return new HandledCommand<>(loaded.stream(), loaded.state(), loaded.version(), events, Optional.empty(), attempt);
            }
            List<NewEvent> encoded = new ArrayList<>(events.size());
            for (E event : events) encoded.add(aggregate.codec().encode(event, metadata.withEventId(EventIds.next())));
            AppendResult result;
            try {
                result = store.append(loaded.stream(), loaded.expectedVersion(), encoded);
            } catch (WrongExpectedVersionException e) {
                if (attempt >= options.maxAttempts()) throw e;
                log.debug("{} on attempt {} of {}; deciding again", e.getMessage(), attempt, options.maxAttempts());
                continue;
            }
            S state = aggregate.fold(loaded.state(), events);
            maybeSnapshot(loaded.stream(), replayed.snapshotVersion(), result.lastVersion(), state);
            return new HandledCommand<>(loaded.stream(), state, result.lastVersion(), events, Optional.of(result), attempt);
        }
    }

    /** The loaded state, and the version of the snapshot it started from (0 if none). */
    private record Replayed<S>(LoadedState<S> loaded, long snapshotVersion) {
    }

    private Replayed<S> replay(StreamId stream) {
        S state = aggregate.initialState();
        long version = 0;
        Optional<Snapshot> snapshot = usableSnapshot(stream);
        if (snapshot.isPresent()) {
            Optional<S> restored = restore(snapshot.get());
            if (restored.isPresent()) {
                state = restored.get();
                version = snapshot.get().version();
            }
        }
        long snapshotVersion = version;
        for (RecordedEvent recorded : store.readStream(stream, ReadStreamOptions.forward().fromVersion(version + 1))) {
            state = aggregate.evolve(state, aggregate.codec().decode(recorded, aggregate.eventType()));
            version = recorded.version();
        }
        return new Replayed<>(new LoadedState<>(stream, state, version), snapshotVersion);
    }

    private Optional<Snapshot> usableSnapshot(StreamId stream) {
        if (options.snapshotStore().isEmpty()) return Optional.empty();
        Optional<Snapshot> snapshot;
        try {
            snapshot = options.snapshotStore().get().load(stream);
        } catch (RuntimeException e) {
            log.warn("loading the snapshot of {} failed; replaying the whole stream", stream, e);
            return Optional.empty();
        }
        if (snapshot.isPresent() && !snapshot.get().fingerprint().equals(fingerprint)) {
            log.info("snapshot of {} at version {} was taken with another shape of {}; replaying the whole stream",
                    stream, snapshot.get().version(), aggregate.stateType().getName());
            return Optional.empty();
        }
        return snapshot;
    }

    private Optional<S> restore(Snapshot snapshot) {
        try {
            return Optional.of(snapshotMapper.readValue(snapshot.state(), aggregate.stateType()));
        } catch (Exception e) {
            log.warn("snapshot of {} at version {} cannot be read; replaying the whole stream",
                    snapshot.stream(), snapshot.version(), e);
            return Optional.empty();
        }
    }

    private void maybeSnapshot(StreamId stream, long snapshotVersion, long after, S state) {
        if (options.snapshotStore().isEmpty() || after - snapshotVersion < options.snapshotEvery()) return;
        try {
            options.snapshotStore().get().save(new Snapshot(stream, after, fingerprint, snapshotMapper.writeValueAsString(state)));
        } catch (Exception e) {
            log.warn("saving the snapshot of {} at version {} failed; the command succeeded, loads replay more events",
                    stream, after, e);
        }
    }
}
