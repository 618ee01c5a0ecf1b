// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.event.NewEvent;
import dev.factum.event.codec.EventCodec;
import dev.factum.retry.Failures;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.transport.InvalidMessageException;
import dev.factum.transport.Message;
import dev.factum.transport.MessageHandler;
import dev.factum.transport.RejectedMessageException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The participant's side of a remote saga step, as a {@link MessageHandler} for a consumer of the requests on any
 * transport: it reads each request ({@link SagaMessages#request}) of a type it handles into that type's record, runs
 * its handler and appends the handler's {@link Answer} to {@link SagaMessages#replyStream(Message)} in the
 * participant's store — the outbox, from which the in-process transport or a relay carries it back to the saga.
 *
 * <pre>{@code
 * MessageHandler bookings = SagaParticipant.builder(store)
 *     .on("RoomRequested", RoomRequested.class, (request, asked) -> {
 *         Room room = hotel.book(request.guest(), asked.idempotencyKey());   // idempotent by key
 *         return room == null ? Answer.refused("NO_ROOM") : Answer.done(room);
 *     })
 *     .on("RoomCancellationRequested", RoomCancellationRequested.class, (request, asked) -> {
 *         hotel.cancel(request.guest());
 *         return Answer.done();
 *     })
 *     .build();
 * transport.consume(ConsumerOptions.of("hotel", "HotelRequest.*"), bookings);
 * }</pre>
 *
 * <p>Requests come at least once (a saga retries an attempt that timed out; a broker redelivers), so a handler must be
 * idempotent — the correlation's {@link SagaMessages.Correlation#idempotencyKey()} is the same on every attempt of a
 * step. A request this participant cannot read (no handler for its type, missing saga headers, a body that does not
 * read as the type) is refused with {@link RejectedMessageException} naming the problem: a dead letter at once, never
 * retried, and the saga's attempt times out. Whatever else a handler throws is a technical failure, answered
 * {@link SagaMessages#failed failed} with the error: the saga retries the attempt by its own policy (and parks a
 * compensation that keeps failing), so the failure is in the saga's timeline and nothing is retried twice over. Only
 * when the reply itself cannot be appended does the exception reach the consumer, which retries the request.
 *
 * @since 0.1
 */
public final class SagaParticipant implements MessageHandler {
    private static final ObjectMapper MAPPER = EventCodec.defaultMapper();
    private static final Logger LOG = LoggerFactory.getLogger(SagaParticipant.class);

    private final EventStore store;
    private final Map<String, Route<?>> routes;

    private SagaParticipant(EventStore store, Map<String, Route<?>> routes) {
        this.store = store;
        this.routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes)); // in the order they were added
    }

    /** A participant that appends its replies to {@code store}. */
    public static Builder builder(EventStore store) {
        return new Builder(store);
    }

    /** What a handler answers: done (with a result or without), or a business "no". */
    public sealed interface Answer {
        /** Done, with {@code result} sent as JSON; the saga folds it into its data (see {@link SagaDefinition.Builder#onDone}). */
        static Answer done(Object result) {
            return new Done(Objects.requireNonNull(result, "a done answer's result was null; use Answer.done()"));
        }

        /** Done, without a result. */
        static Answer done() {
            return new Done(null);
        }

        /** The participant said no, for {@code reason}: the saga compensates. */
        static Answer refused(String reason) {
            return new Refused(reason);
        }

        /** The participant could not do it, for a technical {@code error}: the saga retries by its policy. */
        static Answer failed(String error) {
            return new Failed(error);
        }

        /** The reply this answer makes to {@code request}, built by {@link SagaMessages}. */
        default NewEvent replyTo(Message request) {
            return switch (this) {
                case Done done when done.result() == null -> SagaMessages.done(request);
                case Done done -> SagaMessages.done(request, done.result());
                case Refused refused -> SagaMessages.refused(request, refused.reason());
                case Failed failed -> SagaMessages.failed(request, failed.error());
            };
        }

        /** See {@link #failed}. */
        record Failed(String error) implements Answer {
            public Failed {
                if (error == null || error.isBlank()) throw new IllegalArgumentException("a failure needs its error");
            }
        }

        /** See {@link #done(Object)}; {@code result} is null for a done without result. */
        record Done(Object result) implements Answer {}

        /** See {@link #refused}. */
        record Refused(String reason) implements Answer {
            public Refused {
                if (reason == null || reason.isBlank()) throw new IllegalArgumentException("a refusal needs a reason");
            }
        }
    }

    /**
     * Handles one request type.
     *
     * @param <R> the request's record
     */
    @FunctionalInterface
    public interface Handler<R> {
        /** Does the work of {@code request} (idempotently: see {@code asked.idempotencyKey()}) and answers. */
        Answer handle(R request, SagaMessages.Correlation asked) throws Exception;
    }

    private record Route<R>(Class<R> type, Handler<R> handler) {
        Answer run(Message message, SagaMessages.Correlation asked) throws Exception {
            R request;
            try {
                request = MAPPER.readValue(message.body(), type);
            } catch (Exception e) {
                throw new RejectedMessageException("saga request " + message.messageId() + " (" + message.type()
                        + ") does not read as " + type.getSimpleName() + ": " + e.getMessage(), e);
            }
            return Objects.requireNonNull(handler.handle(request, asked),
                    () -> "the handler of " + message.type() + " answered null; answer done or refused");
        }
    }

    /** The request types this participant handles. */
    public List<String> types() {
        return List.copyOf(routes.keySet());
    }

    @Override
    public void handle(Message message) throws Exception {
        Route<?> route = routes.get(message.type());
        if (route == null) {
            throw new RejectedMessageException("saga request " + message.messageId() + " has type '" + message.type()
                    + "', which this participant does not handle; it handles " + routes.keySet());
        }
        SagaMessages.Correlation asked;
        try {
            asked = SagaMessages.correlation(message);
        } catch (InvalidMessageException e) {
            throw new RejectedMessageException(e.getMessage(), e);
        }
        Answer answer;
        try {
            answer = route.run(message, asked);
        } catch (RejectedMessageException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw e;
        } catch (Exception e) {
            LOG.warn("saga request {} ({}) of saga {} failed; answering failed: {}", message.messageId(), message.type(),
                    asked.sagaId(), Failures.reason(e));
            answer = Answer.failed(Failures.reason(e));
        }
        store.append(SagaMessages.replyStream(message), ExpectedVersion.any(), List.of(answer.replyTo(message)));
    }

    /** Configures a {@link SagaParticipant}. */
    public static final class Builder {
        private final EventStore store;
        private final Map<String, Route<?>> routes = new LinkedHashMap<>();

        private Builder(EventStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** Handles requests of event type {@code type}, read from JSON as {@code requestType}. */
        public <R> Builder on(String type, Class<R> requestType, Handler<R> handler) {
            if (type == null || type.isBlank()) throw new IllegalArgumentException("a request type needs a name");
            Objects.requireNonNull(requestType, "requestType");
            Objects.requireNonNull(handler, "handler");
            if (routes.putIfAbsent(type, new Route<>(requestType, handler)) != null) {
                throw new IllegalArgumentException("request type '" + type + "' has two handlers");
            }
            return this;
        }

        public SagaParticipant build() {
            if (routes.isEmpty()) throw new IllegalStateException("a saga participant handles at least one request type (on(...))");
            return new SagaParticipant(store, routes);
        }
    }
}
