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

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
 * <p>Schema evolution: {@link Builder#upcaster(Upcaster)} registers {@link Upcaster}s, keyed by (type name, schema
 * version). {@link #decode(RecordedEvent)} and {@link #upcast(RecordedEvent)} run them over events stored in an older
 * shape, so every reader that decodes through the codec — aggregate loads, subscriptions, projections — sees the
 * current shape. {@link #encode(Object, Metadata)} stamps each type's current schema version
 * ({@link #schemaVersion(String)}), so events written now are never upcast.
 *
 * @since 0.1
 */
public final class EventCodec {
    private final ObjectMapper mapper;
    private final Map<String, Class<?>> classesByType;
    private final Map<Class<?>, String> typesByClass;
    private final UpcasterChain upcasters;
    private final Map<String, Integer> schemaVersions;

    private EventCodec(Builder b) {
        this.mapper = b.mapper;
        this.classesByType = Collections.unmodifiableMap(new LinkedHashMap<>(b.classesByType));
        Map<Class<?>, String> reverse = new LinkedHashMap<>();
        classesByType.forEach((type, cls) -> reverse.put(cls, type));
        this.typesByClass = Collections.unmodifiableMap(reverse);
        this.upcasters = new UpcasterChain(b.upcasters);
        Map<String, Integer> versions = new HashMap<>();
        for (String type : classesByType.keySet()) {
            Integer explicit = b.explicitVersions.get(type);
            if (explicit != null) checkExplicitVersion(type, explicit);
            versions.put(type, explicit != null ? explicit : upcasters.currentVersion(type));
        }
        this.schemaVersions = Map.copyOf(versions);
    }

    /** Refuses an upcaster that would upcast the events written now, or produce a version above the current one. */
    private void checkExplicitVersion(String type, int current) {
        for (Upcaster u : upcasters.touching(type)) {
            if (u.type().equals(type) && u.schemaVersion() >= current) {
                throw new IllegalArgumentException("event type '" + type + "' is registered at schema version " + current
                        + ", but an upcaster reads its schema version " + u.schemaVersion()
                        + ": it would upcast the events written now");
            }
            if (u.targetType().equals(type) && u.targetSchemaVersion() > current) {
                throw new IllegalArgumentException("event type '" + type + "' is registered at schema version " + current
                        + ", but an upcaster of '" + u.type() + "' produces its schema version " + u.targetSchemaVersion());
            }
        }
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
     * A new event carrying {@code payload} under its registered type name, its metadata stamped with the type's
     * current {@linkplain #schemaVersion(String) schema version} (whatever version {@code metadata} had).
     *
     * @throws InvalidEventException if the payload's class is not registered or cannot be serialized
     */
    public NewEvent encode(Object payload, Metadata metadata) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(metadata, "metadata");
        String type = typeOf(payload.getClass()).orElseThrow(() -> new InvalidEventException(
                "class " + payload.getClass().getName() + " is not registered with the event codec"));
        int version = schemaVersion(type);
        Metadata stamped = metadata.schemaVersion() == version ? metadata : metadata.withSchemaVersion(version);
        try {
            return new NewEvent(type, mapper.writeValueAsString(payload), stamped);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("cannot serialize " + type + ": " + e.getOriginalMessage(), e);
        }
    }

    /** {@link #encode(Object, Metadata)} with fresh root metadata. */
    public NewEvent encode(Object payload) {
        return encode(payload, Metadata.create());
    }

    /**
     * The payload of a stored event as its registered record, after the upcasters that match its type name and
     * schema version (if any).
     *
     * @throws EventDecodingException naming the type and position, if the type is unknown, the payload does not fit,
     *                                or an upcaster fails (then naming its type and schema version too)
     */
    public Object decode(RecordedEvent event) {
        if (upcasters.matches(event.type(), event.metadata().schemaVersion())) {
            UpcasterChain.Result upcast = upcasters.apply(event, mapper).orElseThrow();
            Class<?> cls = registered(event, upcast.type());
            try {
                return mapper.treeToValue(upcast.payload(), cls);
            } catch (JsonProcessingException e) {
                throw new EventDecodingException(event.type(), event.position(), "after upcasting to '" + upcast.type()
                        + "' schema version " + upcast.schemaVersion() + ": " + e.getOriginalMessage(), e);
            }
        }
        Class<?> cls = registered(event, event.type());
        try {
            return mapper.readValue(event.data(), cls);
        } catch (JsonProcessingException e) {
            throw new EventDecodingException(event.type(), event.position(), e.getOriginalMessage(), e);
        }
    }

    private Class<?> registered(RecordedEvent event, String type) {
        Class<?> cls = classesByType.get(type);
        if (cls != null) return cls;
        String reason = type.equals(event.type()) ? "unknown event type (not registered)"
                : "unknown event type '" + type + "' after upcasting (not registered)";
        throw new EventDecodingException(event.type(), event.position(), reason, null);
    }

    /**
     * The stored event in its current shape, without decoding it to a record — for readers that keep JSON. When
     * upcasters match, the result has the new type name, the new payload as JSON text and metadata with the new schema
     * version (everything else unchanged); otherwise it is {@code event} itself. The type need not be registered.
     *
     * @throws EventDecodingException naming the type, schema version and position, if an upcaster fails
     */
    public RecordedEvent upcast(RecordedEvent event) {
        Optional<UpcasterChain.Result> upcast = upcasters.apply(event, mapper);
        if (upcast.isEmpty()) return event;
        UpcasterChain.Result r = upcast.get();
        String data;
        try {
            data = mapper.writeValueAsString(r.payload());
        } catch (JsonProcessingException e) {
            throw new EventDecodingException(event.type(), event.position(), e.getOriginalMessage(), e);
        }
        return new RecordedEvent(event.stream(), event.version(), event.position(), r.type(), data,
                event.metadata().withSchemaVersion(r.schemaVersion()), event.recordedAt());
    }

    /**
     * The schema version {@link #encode} stamps on events of this type: the version it was registered with, else one
     * above the highest schema version an upcaster reads or produces for this type name, else 1.
     */
    public int schemaVersion(String type) {
        Integer registered = schemaVersions.get(type);
        return registered != null ? registered : upcasters.currentVersion(type);
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

    /**
     * Collects type registrations and upcasters; type names must be unique, and so must classes and the (type name,
     * schema version) each upcaster reads.
     */
    public static final class Builder {
        private ObjectMapper mapper = defaultMapper();
        private final Map<String, Class<?>> classesByType = new LinkedHashMap<>();
        private final Map<String, Integer> explicitVersions = new HashMap<>();
        private final List<Upcaster> upcasters = new ArrayList<>();

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

        /**
         * {@link #register(String, Class)} with the current schema version of the type stated, instead of derived from
         * the upcasters. {@link #build()} refuses an upcaster that reads this type at this version or above.
         */
        public Builder register(String type, Class<?> payloadClass, int schemaVersion) {
            if (schemaVersion < 1) throw new IllegalArgumentException("schema version must be >= 1, was " + schemaVersion);
            Integer previous = explicitVersions.get(type);
            if (previous != null && previous != schemaVersion) {
                throw new IllegalArgumentException("event type '" + type + "' is already registered at schema version " + previous);
            }
            register(type, payloadClass);
            explicitVersions.put(type, schemaVersion);
            return this;
        }

        /**
         * Adds an upcaster, applied on every decode and {@link EventCodec#upcast upcast} by the codec built.
         *
         * @throws IllegalArgumentException if an upcaster for the same (type name, schema version) is already added
         */
        public Builder upcaster(Upcaster upcaster) {
            Objects.requireNonNull(upcaster, "upcaster");
            if (upcasters.stream().anyMatch(u -> u.type().equals(upcaster.type()) && u.schemaVersion() == upcaster.schemaVersion())) {
                throw UpcasterChain.duplicate(upcaster);
            }
            upcasters.add(upcaster);
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
            return new EventCodec(this);
        }
    }
}
