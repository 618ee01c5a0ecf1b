// SPDX-License-Identifier: Apache-2.0
package dev.factum.event.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.factum.event.InvalidEventException;
import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns domain records into {@link NewEvent}s and {@link RecordedEvent}s back into records, with Jackson, through a
 * registry of stable type names. The type name is stored, never the Java class name, so classes can be renamed and
 * moved freely.
 *
 * <p>Build one with {@link #builder()}; register either single records ({@code register("AccountOpened",
 * AccountOpened.class)}) or a whole sealed interface of records ({@code registerSealed(AccountEvent.class)}, which
 * names each record by its simple name). A codec is immutable and thread-safe.
 *
 * @since 0.1
 */
public final class EventCodec {
    private final ObjectMapper mapper;
    private final Map<String, Class<?>> classesByType;
    private final Map<Class<?>, String> typesByClass;

    private EventCodec(ObjectMapper mapper, Map<String, Class<?>> classesByType) {
        this.mapper = mapper;
        this.classesByType = Collections.unmodifiableMap(new LinkedHashMap<>(classesByType));
        Map<Class<?>, String> reverse = new LinkedHashMap<>();
        classesByType.forEach((type, cls) -> reverse.put(cls, type));
        this.typesByClass = Collections.unmodifiableMap(reverse);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The mapper configured for event payloads: records, java.time, exact decimals, unknown fields ignored. */
    public static ObjectMapper defaultMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
    }

    /**
     * A new event carrying {@code payload} under its registered type name.
     *
     * @throws InvalidEventException if the payload's class is not registered or cannot be serialized
     */
    public NewEvent encode(Object payload, Metadata metadata) {
        Objects.requireNonNull(payload, "payload");
        String type = typeOf(payload.getClass()).orElseThrow(() -> new InvalidEventException(
                "class " + payload.getClass().getName() + " is not registered with the event codec"));
        try {
            return new NewEvent(type, mapper.writeValueAsString(payload), metadata);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("cannot serialize " + type + ": " + e.getOriginalMessage(), e);
        }
    }

    /** {@link #encode(Object, Metadata)} with fresh root metadata. */
    public NewEvent encode(Object payload) {
        return encode(payload, Metadata.create());
    }

    /**
     * The payload of a stored event as its registered record.
     *
     * @throws EventDecodingException naming the type and position, if the type is unknown or the payload does not fit
     */
    public Object decode(RecordedEvent event) {
        Class<?> cls = classesByType.get(event.type());
        if (cls == null) {
            throw new EventDecodingException(event.type(), event.position(), "unknown event type (not registered)", null);
        }
        try {
            return mapper.readValue(event.data(), cls);
        } catch (JsonProcessingException e) {
            throw new EventDecodingException(event.type(), event.position(), e.getOriginalMessage(), e);
        }
    }

    /** {@link #decode(RecordedEvent)}, checked against an expected type (e.g. a sealed event interface). */
    public <T> T decode(RecordedEvent event, Class<T> expected) {
        Object value = decode(event);
        if (!expected.isInstance(value)) {
            throw new EventDecodingException(event.type(), event.position(),
                    "decoded to " + value.getClass().getName() + ", not a " + expected.getName(), null);
        }
        return expected.cast(value);
    }

    public Optional<String> typeOf(Class<?> payloadClass) {
        return Optional.ofNullable(typesByClass.get(payloadClass));
    }

    public Optional<Class<?>> classOf(String type) {
        return Optional.ofNullable(classesByType.get(type));
    }

    /** Collects type registrations; type names must be unique, and so must classes. */
    public static final class Builder {
        private ObjectMapper mapper = defaultMapper();
        private final Map<String, Class<?>> classesByType = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder mapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        public Builder register(String type, Class<?> payloadClass) {
            if (type == null || type.isBlank()) throw new IllegalArgumentException("event type name is blank");
            Class<?> previous = classesByType.putIfAbsent(type, payloadClass);
            if (previous != null && previous != payloadClass) {
                throw new IllegalArgumentException("event type '" + type + "' is already registered for " + previous.getName());
            }
            if (classesByType.entrySet().stream().anyMatch(e -> e.getValue() == payloadClass && !e.getKey().equals(type))) {
                classesByType.remove(type);
                throw new IllegalArgumentException(payloadClass.getName() + " is already registered under another type name");
            }
            return this;
        }

        /** Registers every record permitted by a sealed interface, each under its simple class name. */
        public Builder registerSealed(Class<?> sealedInterface) {
            if (!sealedInterface.isSealed()) {
                throw new IllegalArgumentException(sealedInterface.getName() + " is not a sealed type");
            }
            for (Class<?> permitted : sealedInterface.getPermittedSubclasses()) {
                if (permitted.isSealed()) registerSealed(permitted);
                else register(permitted.getSimpleName(), permitted);
            }
            return this;
        }

        public EventCodec build() {
            return new EventCodec(mapper, classesByType);
        }
    }
}
