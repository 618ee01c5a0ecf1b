// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.event.InvalidEventException;
import dev.factum.event.RecordedEvent;
import dev.factum.retry.Attempt;
import dev.factum.saga.SagaEvent.*;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Decodes a saga's stream and folds it into a {@link SagaState}. */
final class SagaHistory<D> {
    private final SagaDefinition<D> definition;
    private final ObjectMapper mapper;

    SagaHistory(SagaDefinition<D> definition, ObjectMapper mapper) {
        this.definition = definition;
        this.mapper = mapper;
    }

    SagaEvent decode(RecordedEvent event) {
        Class<? extends SagaEvent> type = SagaEvent.TYPES.get(event.type());
        if (type == null) {
            throw new InvalidEventException("event " + event.type() + " at " + event.stream() + " version " + event.version()
                    + " is not a saga event");
        }
        try {
            return mapper.readValue(event.data(), type);
        } catch (Exception e) {
            throw new InvalidEventException("saga event " + event.type() + " at " + event.stream() + " version "
                    + event.version() + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** The state after {@code events} (the whole stream, oldest first), or empty for no events. */
    Optional<SagaState<D>> fold(String id, List<RecordedEvent> events) {
        if (events.isEmpty()) return Optional.empty();
        Folder folder = new Folder();
        for (RecordedEvent recorded : events) folder.apply(decode(recorded));
        return Optional.of(folder.state(id, events.getLast().version()));
    }

    /**
     * The state after {@code events} appended to a saga in state {@code before} ({@code null}: a new saga), without
     * reading the stream: one version per event, as the store numbers them.
     */
    SagaState<D> apply(String id, SagaState<D> before, List<SagaEvent> events) {
        Folder folder = before == null ? new Folder() : new Folder(before);
        for (SagaEvent event : events) folder.apply(event);
        return folder.state(id, (before == null ? 0 : before.version()) + events.size());
    }

    /** The fold of a saga's events, one at a time. */
    private final class Folder {
        SagaStatus status = SagaStatus.RUNNING;
        D data;
        int stepsDone;
        final List<String> toCompensate = new ArrayList<>();
        SagaState.OpenAttempt open;
        final List<Attempt> failures = new ArrayList<>();
        Instant retryAt;
        String failure;
        UUID deadLetter;

        Folder() {}

        Folder(SagaState<D> state) {
            status = state.status();
            data = state.data();
            stepsDone = state.stepsDone();
            toCompensate.addAll(state.toCompensate());
            open = state.open().orElse(null);
            failures.addAll(state.failures());
            retryAt = state.retryAt().orElse(null);
            failure = state.failure().orElse(null);
            deadLetter = state.deadLetter().orElse(null);
        }

        SagaState<D> state(String id, long version) {
            return new SagaState<>(id, status, data, version, stepsDone, toCompensate, Optional.ofNullable(open),
                    failures, Optional.ofNullable(retryAt), Optional.ofNullable(failure), Optional.ofNullable(deadLetter));
        }

        void apply(SagaEvent event) {
            switch (event) {
                case SagaStarted e -> data = data(e.data());
                case StepStarted e -> {
                    open = new SagaState.OpenAttempt(e.step(), e.attempt(), e.deadline(), false);
                    retryAt = null;
                }
                case StepAwaiting e -> {
                    // the attempt stays open: its reply or its deadline closes it
                }
                case StepSucceeded e -> {
                    data = data(e.data());
                    stepsDone++;
                    if (definition.step(e.step()).compensation().isPresent()) toCompensate.add(e.step());
                    open = null;
                    failures.clear();
                }
                case StepFailed e -> {
                    open = null;
                    failures.add(new Attempt(e.attempt(), e.at(), e.error()));
                    retryAt = e.retryAt();
                    if (retryAt == null) undoUncertain(e.step(), toCompensate);
                }
                case StepTimedOut e -> {
                    open = null;
                    failures.add(new Attempt(e.attempt(), e.at(), "timed out"));
                    retryAt = e.retryAt();
                    if (retryAt == null) undoUncertain(e.step(), toCompensate);
                }
                case StepRefused e -> {
                    open = null;
                    failure = e.reason();
                }
                case Compensating e -> {
                    status = SagaStatus.COMPENSATING;
                    failure = e.reason();
                    failures.clear();
                    retryAt = null;
                }
                case CompensationStarted e -> {
                    open = new SagaState.OpenAttempt(e.step(), e.attempt(), e.deadline(), true);
                    retryAt = null;
                }
                case CompensationAwaiting e -> {
                    // the compensation's attempt stays open: its reply or its deadline closes it
                }
                case CompensationSucceeded e -> {
                    toCompensate.remove(e.step());
                    open = null;
                    failures.clear();
                }
                case CompensationFailed e -> {
                    open = null;
                    failures.add(new Attempt(e.attempt(), e.at(), e.error()));
                    retryAt = e.retryAt();
                }
                case SagaCompleted e -> status = SagaStatus.COMPLETED;
                case SagaCompensated e -> status = SagaStatus.COMPENSATED;
                case SagaParked e -> {
                    status = SagaStatus.NEEDS_ATTENTION;
                    deadLetter = e.deadLetter();
                    open = null;
                }
                case SagaRetried e -> {
                    status = SagaStatus.COMPENSATING;
                    deadLetter = null;
                    failures.clear();
                    retryAt = null;
                }
                case SagaResolved e -> status = SagaStatus.RESOLVED;
            }
        }
    }

    /**
     * A step that failed for good (out of attempts, not refused) may have had its effect — an attempt that threw or
     * timed out may have reached its participant — so it is compensated first, if it has a compensation.
     */
    private void undoUncertain(String step, List<String> toCompensate) {
        if (definition.step(step).compensation().isPresent() && !toCompensate.contains(step)) toCompensate.add(step);
    }

    private D data(com.fasterxml.jackson.databind.JsonNode json) {
        try {
            return mapper.treeToValue(json, definition.dataType());
        } catch (Exception e) {
            throw new InvalidEventException("saga data of '" + definition.name() + "' does not read as "
                    + definition.dataType().getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
