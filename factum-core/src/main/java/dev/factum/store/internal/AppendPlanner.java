// SPDX-License-Identifier: Apache-2.0
package dev.factum.store.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.event.NewEvent;
import dev.factum.store.AppendResult;
import dev.factum.store.DuplicateEventIdException;
import dev.factum.store.Position;
import dev.factum.store.StreamId;
import dev.factum.store.WrongExpectedVersionException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Decides, for a batch of appends committed in one transaction, what each append does: write its events at the next
 * versions and positions, return the result of an earlier identical append (idempotency), or be refused. Pure logic,
 * run by a store while it holds its write lock, so the stream versions and stored ids it is given are current.
 * Appends in one batch see each other's planned events, exactly as if committed one after another.
 * Store SPI, not for applications.
 */
public final class AppendPlanner {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What one append comes to. */
    public sealed interface Outcome {
        AppendResult resultOrThrow();
    }

    /** Write these events; {@code result} is what the caller gets after the commit. */
    public record Write(List<StoredEvent> events, AppendResult result) implements Outcome {
        public AppendResult resultOrThrow() {
            return result;
        }
    }

    /** Already stored by an earlier append with the same ids: nothing to write. */
    public record AlreadyAppended(AppendResult result) implements Outcome {
        public AppendResult resultOrThrow() {
            return result;
        }
    }

    /** Refused; nothing of it is written. */
    public record Refused(RuntimeException error) implements Outcome {
        public AppendResult resultOrThrow() {
            throw error;
        }
    }

    private final Map<StreamId, Long> versions;
    private final Map<UUID, StoredEvent> existing;
    private long position;

    /**
     * @param versions     current version of every stream the batch touches (missing = 0)
     * @param existing     stored events whose ids occur in the batch
     * @param lastPosition position of the last committed event
     */
    public AppendPlanner(Map<StreamId, Long> versions, Map<UUID, StoredEvent> existing, Position lastPosition) {
        this.versions = new HashMap<>(versions);
        this.existing = new HashMap<>(existing);
        this.position = lastPosition.value();
    }

    /** Plans the requests in order; later requests see the writes of earlier ones. */
    public List<Outcome> plan(List<AppendRequest> requests) {
        List<Outcome> outcomes = new ArrayList<>(requests.size());
        for (AppendRequest request : requests) outcomes.add(plan(request));
        return outcomes;
    }

    public Position lastPosition() {
        return Position.of(position);
    }

    private Outcome plan(AppendRequest request) {
        try {
            AppendResult repeated = alreadyAppended(request);
            if (repeated != null) return new AlreadyAppended(repeated);
        } catch (DuplicateEventIdException e) {
            return new Refused(e);
        }
        long current = versions.getOrDefault(request.stream(), 0L);
        if (!request.expected().isSatisfiedBy(current)) {
            return new Refused(new WrongExpectedVersionException(request.stream(), request.expected(), current));
        }
        List<StoredEvent> rows = new ArrayList<>(request.events().size());
        long version = current;
        for (NewEvent event : request.events()) {
            StoredEvent row = new StoredEvent(request.stream(), ++version, Position.of(++position), event);
            rows.add(row);
            existing.put(event.eventId(), row);
        }
        versions.put(request.stream(), version);
        return new Write(rows, result(rows));
    }

    /** The original result if every event is stored already, in this stream, consecutively; null if none is. */
    private AppendResult alreadyAppended(AppendRequest request) {
        List<NewEvent> events = request.events();
        StoredEvent first = existing.get(events.get(0).eventId());
        List<StoredEvent> found = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            NewEvent event = events.get(i);
            StoredEvent stored = existing.get(event.eventId());
            if ((stored == null) != (first == null)) {
                throw new DuplicateEventIdException(stored == null ? first.event().eventId() : event.eventId(),
                        "this append mixes events already stored with new ones");
            }
            if (stored == null) continue;
            if (!stored.stream().equals(request.stream())) {
                throw new DuplicateEventIdException(event.eventId(), "it is stored in stream " + stored.stream()
                        + ", not " + request.stream());
            }
            if (stored.version() != first.version() + i) {
                throw new DuplicateEventIdException(event.eventId(), "it is stored at version " + stored.version()
                        + ", not in the order of this append");
            }
            if (!sameEvent(stored.event(), event)) {
                throw new DuplicateEventIdException(event.eventId(), "it is stored for a different event (type "
                        + stored.event().type() + ") at version " + stored.version() + " of " + stored.stream());
            }
            found.add(stored);
        }
        return first == null ? null : result(found);
    }

    private static boolean sameEvent(NewEvent stored, NewEvent offered) {
        if (!stored.type().equals(offered.type())) return false;
        if (stored.data().equals(offered.data())) return true;
        try {
            return MAPPER.readTree(stored.data()).equals(MAPPER.readTree(offered.data()));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static AppendResult result(List<StoredEvent> rows) {
        StoredEvent first = rows.get(0);
        StoredEvent last = rows.get(rows.size() - 1);
        return new AppendResult(first.stream(), first.version(), last.version(), first.position(), last.position());
    }
}
