// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.event.codec.EventCodec;
import dev.factum.store.StreamId;
import dev.factum.transport.InvalidMessageException;
import dev.factum.transport.Message;
import java.util.Map;
import java.util.Objects;

/**
 * Requests to remote saga participants and their replies, as integration messages on any
 * {@link dev.factum.transport.Transport}.
 *
 * <p>Both are built as events to append to the sender's store ({@link NewEvent}): the store is the outbox, so the
 * in-process transport delivers them to consumers that follow the store and the {@link dev.factum.relay.Relay}
 * publishes them to a broker, after the commit and confirmed. Every request and reply carries the correlation in
 * its metadata: the correlation id is the saga id, and the headers {@value #SAGA}, {@value #SAGA_ID},
 * {@value #STEP}, {@value #ATTEMPT} and {@value #IDEMPOTENCY_KEY} name the attempt it belongs to.
 *
 * <pre>{@code
 * // the saga's step: send the request, answer later
 * .step("charge").invoke((order, step) -> {
 *     store.append(StreamId.of("HotelRequest", step.sagaId()), ExpectedVersion.any(),
 *             List.of(SagaMessages.request("TripSaga", step, "RoomRequested", trip)));
 *     return SagaReply.awaiting();
 * }).onDone(Room.class, (trip, room) -> trip.withRoom(room.number()))
 * // the participant, consuming "HotelRequest.RoomRequested": do the work once per idempotency key, then reply
 * store.append(SagaMessages.replyStream(request), ExpectedVersion.any(),
 *         List.of(SagaMessages.done(request, room)));   // or SagaMessages.refused(request, "NO_ROOM")
 * // the saga's process, consuming "TripSagaReply.*": transport.consume(options, engine.replyHandler())
 * }</pre>
 *
 * @since 0.1
 */
public final class SagaMessages {
    /** Header: the saga's name (its stream category). */
    public static final String SAGA = "saga";
    /** Header: the saga's id (also the message's correlation id). */
    public static final String SAGA_ID = "saga-id";
    /** Header: the step's name. */
    public static final String STEP = "saga-step";
    /** Header: the attempt the request belongs to (1, 2, …); a reply names the attempt it answers. */
    public static final String ATTEMPT = "saga-attempt";
    /** Header: the step's idempotency key, the same on every attempt ({@link StepContext#idempotencyKey()}). */
    public static final String IDEMPOTENCY_KEY = "idempotency-key";
    /** The event type of a reply. */
    public static final String REPLY_TYPE = "SagaStepReplied";

    private static final ObjectMapper MAPPER = EventCodec.defaultMapper();

    private SagaMessages() {}

    /**
     * Where a request or reply belongs.
     *
     * @param saga           the saga's name
     * @param sagaId         the saga's id
     * @param step           the step
     * @param attempt        the attempt
     * @param idempotencyKey the step's idempotency key: a participant that records the keys it handled works once
     */
    public record Correlation(String saga, String sagaId, String step, int attempt, String idempotencyKey) {}

    /**
     * The request of {@code context}'s attempt, an event of {@code type} with {@code payload} as its JSON body and
     * the correlation in its metadata. Append it to a stream of your store (the outbox) from the step's action, then
     * answer {@link SagaReply#awaiting()}.
     *
     * @param saga the saga's name ({@link SagaDefinition#name()}), so a reply finds its engine
     */
    public static NewEvent request(String saga, StepContext context, String type, Object payload) {
        Objects.requireNonNull(context, "context");
        if (saga == null || saga.isBlank()) throw new IllegalArgumentException("a saga request needs the saga's name");
        Map<String, String> headers = Map.of(SAGA, saga, SAGA_ID, context.sagaId(), STEP, context.step(),
                ATTEMPT, Integer.toString(context.attempt()), IDEMPOTENCY_KEY, context.idempotencyKey());
        Metadata metadata = Metadata.create().withCorrelationId(context.sagaId()).withHeaders(headers);
        return new NewEvent(type, json(payload, "request of saga " + context.sagaId() + " step '" + context.step() + "'"), metadata);
    }

    /**
     * The correlation of a received request or reply, read from its headers.
     *
     * @throws InvalidMessageException naming the missing or malformed header
     */
    public static Correlation correlation(Message message) {
        Objects.requireNonNull(message, "message");
        String attempt = header(message, ATTEMPT);
        int number;
        try {
            number = Integer.parseInt(attempt);
        } catch (NumberFormatException e) {
            throw new InvalidMessageException("saga message " + message.messageId() + " header '" + ATTEMPT
                    + "' is not a number: '" + attempt + "'");
        }
        if (number < 1) {
            throw new InvalidMessageException("saga message " + message.messageId() + " header '" + ATTEMPT + "' must be >= 1, was " + number);
        }
        return new Correlation(header(message, SAGA), header(message, SAGA_ID), header(message, STEP), number,
                header(message, IDEMPOTENCY_KEY));
    }

    /**
     * The participant's reply to {@code request}: done, with {@code result} as JSON — what the participant produced
     * (a charge id, a tracking number). The step folds it into the saga's data with
     * {@link SagaDefinition.Builder#onDone}; a step without a fold reads it as the saga's new data.
     */
    public static NewEvent done(Message request, Object result) {
        Objects.requireNonNull(result, "a done reply's result was null; use done(request) for a reply without one");
        ObjectNode body = MAPPER.createObjectNode().put("outcome", "done");
        body.set("result", MAPPER.valueToTree(result));
        return reply(request, body);
    }

    /** The participant's reply to {@code request}: done, without a result (the saga's data stays as it is). */
    public static NewEvent done(Message request) {
        return reply(request, MAPPER.createObjectNode().put("outcome", "done"));
    }

    /**
     * The participant's reply to {@code request}: it could not do the work for a technical reason ({@code error}) — a
     * failed attempt the saga retries by its policy, without waiting for the attempt's deadline.
     */
    public static NewEvent failed(Message request, String error) {
        if (error == null || error.isBlank()) throw new IllegalArgumentException("a failure needs its error");
        return reply(request, MAPPER.createObjectNode().put("outcome", "failed").put("error", error));
    }

    /** The participant's reply to {@code request}: a business "no" for {@code reason}. */
    public static NewEvent refused(Message request, String reason) {
        if (reason == null || reason.isBlank()) throw new IllegalArgumentException("a refusal needs a reason");
        return reply(request, MAPPER.createObjectNode().put("outcome", "refused").put("reason", reason));
    }

    /**
     * The stream a participant appends its reply to: {@code <saga>Reply-<sagaId>} (for saga {@code TripSaga}, the
     * category {@code TripSagaReply}), which the saga's process consumes with {@link SagaEngine#replyHandler()}.
     *
     * @throws InvalidMessageException if {@code request} lacks the saga headers
     */
    public static StreamId replyStream(Message request) {
        Correlation correlation = correlation(request);
        return StreamId.of(replyCategory(correlation.saga()), correlation.sagaId());
    }

    /** The category of the replies to saga {@code saga}'s requests: {@code <saga>Reply}. */
    public static String replyCategory(String saga) {
        return saga + "Reply";
    }

    /** A reply as received: done with its result (null when it has none), refused with a reason, or failed with an error. */
    record Answer(boolean done, JsonNode result, String reason, boolean failed) {}

    /** Reads a reply's body. */
    static Answer answerOf(Message message) {
        JsonNode body;
        try {
            body = MAPPER.readTree(message.body());
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException("saga reply " + message.messageId() + " body is not JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw new InvalidMessageException("saga reply " + message.messageId() + " body is not a JSON object");
        }
        String outcome = body.path("outcome").asText("");
        switch (outcome) {
            case "done" -> {
                JsonNode result = body.get("result");
                return new Answer(true, result == null || result.isNull() ? null : result, null, false);
            }
            case "refused" -> {
                String reason = body.path("reason").asText("");
                if (reason.isBlank()) throw new InvalidMessageException("saga reply " + message.messageId() + " is refused without a reason");
                return new Answer(false, null, reason, false);
            }
            case "failed" -> {
                String error = body.path("error").asText("");
                if (error.isBlank()) throw new InvalidMessageException("saga reply " + message.messageId() + " is failed without an error");
                return new Answer(false, null, error, true);
            }
            default -> throw new InvalidMessageException("saga reply " + message.messageId()
                    + " has outcome '" + outcome + "'; expected 'done', 'refused' or 'failed'");
        }
    }

    /**
     * The {@link SagaReply} an answer means for {@code step} of a saga whose data is {@code data} now: a refusal; a
     * done without result leaves the data; a result is folded by the step's {@code onDone}, else read as the data.
     */
    static <D> SagaReply<D> replyOf(Message message, Answer answer, SagaStep<D> step, D data, Class<D> dataType) {
        if (answer.failed()) return SagaReply.failed("participant failed: " + answer.reason());
        if (!answer.done()) return SagaReply.refused(answer.reason());
        if (answer.result() == null) return SagaReply.done(data);
        if (step.onDone().isPresent()) {
            SagaStep.ResultFold<D, ?> fold = step.onDone().get();
            return SagaReply.done(fold.apply(data, read(message, answer.result(), fold.type())));
        }
        return SagaReply.done(read(message, answer.result(), dataType));
    }

    private static <T> T read(Message message, JsonNode json, Class<T> type) {
        try {
            return MAPPER.treeToValue(json, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new InvalidMessageException("saga reply " + message.messageId() + " result does not read as "
                    + type.getSimpleName() + ": " + why);
        }
    }

    private static NewEvent reply(Message request, ObjectNode body) {
        Correlation correlation = correlation(request);
        Map<String, String> headers = Map.of(SAGA, correlation.saga(), SAGA_ID, correlation.sagaId(),
                STEP, correlation.step(), ATTEMPT, Integer.toString(correlation.attempt()),
                IDEMPOTENCY_KEY, correlation.idempotencyKey());
        Metadata metadata = Metadata.create().withCorrelationId(correlation.sagaId())
                .withCausationId(request.messageId().toString()).withHeaders(headers);
        return new NewEvent(REPLY_TYPE, body.toString(), metadata);
    }

    private static String header(Message message, String name) {
        String value = message.headers().get(name);
        if (value == null || value.isBlank()) {
            throw new InvalidMessageException("saga message " + message.messageId() + " (" + message.type()
                    + ") has no '" + name + "' header");
        }
        return value;
    }

    private static String json(Object payload, String what) {
        Objects.requireNonNull(payload, () -> what + " has no payload");
        try {
            return MAPPER.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
