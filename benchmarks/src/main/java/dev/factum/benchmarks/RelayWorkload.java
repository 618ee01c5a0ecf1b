// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.factum.event.RecordedEvent;
import dev.factum.kafka.KafkaConfig;
import dev.factum.kafka.KafkaHeaders;
import dev.factum.kafka.KafkaTopics;
import dev.factum.kafka.KafkaTransport;
import dev.factum.postgres.PostgresConfig;
import dev.factum.postgres.PostgresEventStore;
import dev.factum.rabbitmq.RabbitMqConfig;
import dev.factum.rabbitmq.RabbitMqTopology;
import dev.factum.rabbitmq.RabbitMqTransport;
import dev.factum.relay.InMemoryLeaseStore;
import dev.factum.relay.LeaseStore;
import dev.factum.relay.Relay;
import dev.factum.relay.RelayStatus;
import dev.factum.retry.DeadLetterStore;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.sqlite.SqliteSynchronous;
import dev.factum.store.EventStore;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.subscription.Checkpoint;
import dev.factum.subscription.CheckpointStore;
import dev.factum.subscription.InMemoryCheckpointStore;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.Message;
import dev.factum.transport.MessageHeaders;
import dev.factum.transport.Transport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * W4: relay the store to a broker, confirmed. The store (SQLite by default, PostgreSQL with {@code --store postgres})
 * is seeded once with {@code --events} events of about 200 bytes over many streams. Factum: a fresh {@link Relay}
 * from position 0 over {@link RabbitMqTransport} or {@link KafkaTransport}, timed until its checkpoint (saved only
 * after the broker confirmed a batch) reaches the target position. Limit: the raw client publishing the same bodies
 * and headers with the same confirmation guarantee, from memory (it does not read the store): amqp-client with
 * publisher confirms, one {@code waitForConfirmsOrDie} per batch of the relay's size; or kafka-clients' producer with
 * the transport's settings ({@code acks=all}, idempotent, {@code linger.ms=5}, {@code batch.size=64 KiB}) sending
 * every record and waiting for every acknowledgement. Each run of each side publishes to a topology of its own
 * (RabbitMQ prefix, Kafka topic prefix), deleted after the run.
 */
final class RelayWorkload implements Workload {
    /** The durable queue bound to the events on RabbitMQ: where the messages of a run end up (and are counted). */
    static final String SINK = "sink";
    private static final String CATEGORY = "Order";
    private static final String SCHEMA = "bench_w4";
    /** Events per append when seeding; each stream gets {@value #EVENTS_PER_STREAM} events in appends of this many. */
    private static final int SEED_APPEND = 10;
    private static final int EVENTS_PER_STREAM = 20;
    private static final int SEED_WRITERS = 16;
    private static final Duration DEADLINE = Duration.ofMinutes(5);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);

    private final BenchOptions o;
    private final boolean kafka;
    private final Path dir;
    /** Distinguishes this run's broker names from those of an earlier run that did not clean up. */
    private final String runId = UUID.randomUUID().toString().substring(0, 6);
    private EventStore store;
    private CheckpointStore checkpoints;
    private LeaseStore leases;
    private DeadLetterStore deadLetters;
    private long streams;
    /** Every stored event as the relay sends it, read once before the rounds: the limit's data. */
    private Message[] messages;
    private Map<String, String>[] headers;
    private AMQP.BasicProperties[] amqpProperties;
    private Connection rabbitAdmin;
    private Admin kafkaAdmin;
    private int round;
    private int factumRuns;
    /** Where the relay's time went, over the measured Factum runs (the warm-up run left out). */
    private final RelayParts measuredParts = new RelayParts();

    RelayWorkload(BenchOptions options) throws Exception {
        this.o = options;
        this.kafka = options.transport().equals("kafka");
        this.dir = Files.createTempDirectory("factum-bench-w4");
    }

    private boolean sqlite() {
        return o.store().equals("sqlite");
    }

    @Override
    public String id() {
        return "W4";
    }

    @Override
    public String resultId() {
        return "W4-" + o.transport() + (sqlite() ? "" : "-postgres");
    }

    @Override
    public String title() {
        return "relay from the store to " + (kafka ? "Kafka" : "RabbitMQ") + ", confirmed, "
                + (sqlite() ? "embedded SQLite (synchronous=" + o.sqliteSynchronous() + ")" : "PostgreSQL");
    }

    @Override
    public String store() {
        return o.store();
    }

    @Override
    public int writers() {
        return 1;
    }

    @Override
    public String concurrency() {
        return "1 relay (one publishing thread on each side)";
    }

    @Override
    public Map<String, Object> jsonFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("transport", o.transport());
        fields.put("relay_batch", o.relayBatch());
        return fields;
    }

    @Override
    public String limitName() {
        return kafka ? "kafka-clients-producer-acks-all" : "amqp-client-publisher-confirms";
    }

    @Override
    public String operation() {
        return kafka
                ? "one relay batch of " + o.relayBatch() + " events (read, publish, every acknowledgement, checkpoint);"
                + " limit: the time between one " + o.relayBatch() + "th acknowledgement and the next"
                : "one relay batch of " + o.relayBatch() + " events (read, publish, confirms, checkpoint); limit: "
                + o.relayBatch() + " messages published and one waitForConfirmsOrDie";
    }

    @Override
    public String machine() throws Exception {
        String storeText = sqlite()
                ? "SQLite " + org.sqlite.SQLiteJDBCLoader.getVersion() + " (sqlite-jdbc), journal_mode=WAL, synchronous="
                + o.sqliteSynchronous() + ", file system of " + dir.getParent()
                : Pg.serverSettings(o.pgUrl());
        return Machine.client() + ", " + storeText + ", " + (kafka ? kafkaSettings() : rabbitSettings());
    }

    private String rabbitSettings() throws Exception {
        Connection probe;
        try {
            probe = rabbitFactory().newConnection("bench-w4-probe");
        } catch (java.io.IOException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot connect to RabbitMQ at " + RabbitMqConfig.of(o.rabbitUri()).address()
                    + " (--rabbitmq): " + e, e);
        }
        try (Connection c = probe) {
            Object version = c.getServerProperties().get("version");
            return "RabbitMQ " + version + " at " + RabbitMqConfig.of(o.rabbitUri()).address()
                    + " (classic durable queue, persistent messages), amqp-client "
                    + com.rabbitmq.client.impl.ClientVersion.VERSION;
        }
    }

    private String kafkaSettings() throws Exception {
        try (Admin admin = Admin.create(adminProperties())) {
            java.util.Collection<org.apache.kafka.common.Node> nodes;
            try {
                nodes = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("no Kafka broker answers at " + o.kafkaBootstrap() + " (--kafka) within"
                        + " 30 s; start one with kafka/run: " + (e.getCause() != null ? e.getCause() : e), e);
            }
            String node = Integer.toString(nodes.iterator().next().id());
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, node);
            Config config = admin.describeConfigs(List.of(broker)).all().get(30, TimeUnit.SECONDS).get(broker);
            String settings = List.of("default.replication.factor", "min.insync.replicas", "log.flush.interval.messages",
                            "num.network.threads", "num.io.threads").stream()
                    .map(name -> {
                        ConfigEntry entry = config.get(name);
                        return name + "=" + (entry == null ? "?" : entry.value());
                    })
                    .collect(Collectors.joining(", "));
            return "Kafka at " + o.kafkaBootstrap() + " (" + nodes.size() + " node" + (nodes.size() == 1 ? "" : "s")
                    + "; " + settings + "), kafka-clients " + kafkaClientsVersion();
        }
    }

    @Override
    public String description() {
        String storeText = sqlite()
                ? "`SqliteEventStore.open(SqliteConfig.of(file).withSynchronous(SqliteSynchronous." + o.sqliteSynchronous()
                + "))` in a temporary file under " + dir.getParent()
                : "`PostgresEventStore.open(PostgresConfig.of(url).withSchema(\"" + SCHEMA + "\"))`";
        String seeding = String.format(Locale.ROOT, "Seeding (not timed, once per run): %s, %,d events (`OrderPlaced`,"
                        + " the ~200-byte JSON of W1) appended by %d threads in appends of %d events to %,d streams"
                        + " (%d events each, so streams interleave in the global order). ", storeText, o.events(),
                SEED_WRITERS, SEED_APPEND, streams, EVENTS_PER_STREAM);
        String factum = String.format(Locale.ROOT, "Factum: per run a fresh `Relay.builder(name, store, checkpoints,"
                        + " transport).lease(store.leaseStore(), 30 s).deadLetters(store.deadLetterStore()).batchSize(%d)`"
                        + " with the store's own checkpoint and lease stores (each batch renews the lease and saves the"
                        + " checkpoint in the store), from position 0; timed from `start()` until the checkpoint saved"
                        + " after a confirmed batch reaches the run's last position (seen by wrapping the checkpoint"
                        + " store, no polling). The relay reads batches with `readAll`, makes each event a `Message`,"
                        + " and calls `Transport.publish`, which returns only when the broker confirmed the batch. ",
                o.relayBatch());
        String limit = kafka
                ? "Transport: `KafkaTransport.start(KafkaConfig.of(bootstrap).withTopicPrefix(prefix), deadLetters)`"
                + " (one topic per category, 6 partitions, record key = stream, envelope in record headers, an"
                + " idempotent `acks=all` producer with `linger.ms=5`, `batch.size=65536`, which sends a batch,"
                + " flushes and waits for every acknowledgement). Limit: kafka-clients " + kafkaClientsVersion()
                + " `KafkaProducer` with the same settings (`acks=all`, `enable.idempotence=true`, `linger.ms=5`,"
                + " `batch.size=65536`, `max.in.flight.requests.per.connection=5`, `delivery.timeout.ms=30000`,"
                + " `request.timeout.ms=29995`), sending the same records (same topic shape, key, value bytes and"
                + " headers, built before the clock) one after the other with a callback each and no flush, timed until"
                + " every record is acknowledged; the producer is created inside the clock on both sides. Both sides'"
                + " topics are created before the clock by `KafkaTopics.create` (6 partitions and the broker's"
                + " replication factor, one warm-up record per partition); every run checks the topic's end offsets"
                + " afterwards and deletes the topic."
                : "Transport: `RabbitMqTransport.start(RabbitMqConfig.of(uri).withPrefix(prefix), deadLetters)` with"
                + " one durable queue `<prefix>.sink` bound to `Order.*` (`declareConsumer`, before the clock): each"
                + " batch is published persistent on a channel in confirm mode with one `waitForConfirmsOrDie` for"
                + " the batch. Limit: amqp-client " + com.rabbitmq.client.impl.ClientVersion.VERSION
                + " on a fresh connection (opened inside the clock, as the transport's publisher connection is), one"
                + " channel in confirm mode, `basicPublish` of the same messages (same exchange shape and routing key,"
                + " the transport's AMQP properties and headers and the same body bytes, built before the clock) in"
                + " batches of " + o.relayBatch() + " with one `waitForConfirmsOrDie` per batch. Both sides publish"
                + " to the same topology (`RabbitMqTopology.declare` and `declareConsumer`, before the clock) under"
                + " a prefix of their own; every run checks the queue's message count afterwards and deletes the"
                + " prefix's queues and exchanges.";
        return seeding + factum + limit;
    }

    @Override
    public void setUp() throws Exception {
        if (sqlite()) {
            Path file = dir.resolve("store.db");
            SqliteAppendWorkload.deleteDb(file);
            SqliteEventStore s = SqliteEventStore.open(SqliteConfig.of(file)
                    .withSynchronous(SqliteSynchronous.valueOf(o.sqliteSynchronous())));
            store = s;
            checkpoints = s.checkpointStore();
            leases = s.leaseStore();
            deadLetters = s.deadLetterStore();
        } else {
            Pg.dropSchema(o.pgUrl(), SCHEMA);
            PostgresEventStore p = PostgresEventStore.open(PostgresConfig.of(o.pgUrl()).withSchema(SCHEMA));
            store = p;
            checkpoints = p.checkpointStore();
            leases = p.leaseStore();
            deadLetters = p.deadLetterStore();
        }
        if (kafka) {
            kafkaAdmin = Admin.create(adminProperties());
        } else {
            rabbitAdmin = rabbitFactory().newConnection("bench-w4-admin");
        }
        seed();
        prepareLimitData();
    }

    private void seed() throws Exception {
        int streamsPerWriter = (int) Math.max(1, o.events() / ((long) SEED_WRITERS * EVENTS_PER_STREAM));
        AppendPlan plan = AppendPlan.build(SEED_WRITERS, o.events(), SEED_APPEND, streamsPerWriter);
        long started = System.nanoTime();
        Measurement m = Writers.run(SEED_WRITERS, AppendPlan.operations(o.events(), SEED_APPEND), SEED_APPEND,
                (w, i) -> store.append(plan.stream(w, i), plan.expected(w, i), plan.events(w, i)));
        streams = (long) SEED_WRITERS * Math.min(streamsPerWriter, AppendPlan.operations(o.events(), SEED_APPEND));
        Harness.log("W4: seeded %,d events over %,d streams in %.1f s (head position %s)", m.events(), streams,
                (System.nanoTime() - started) / 1e9, store.headPosition());
    }

    /** Reads every event once (not timed) and keeps what the limit sends: the relay's messages, headers and bodies. */
    @SuppressWarnings("unchecked")
    private void prepareLimitData() {
        long head = store.headPosition().value();
        messages = new Message[Math.toIntExact(head)];
        int n = 0;
        Position after = Position.BEGINNING;
        while (true) {
            List<RecordedEvent> events = store.readAll(ReadAllOptions.after(after).limit(1000));
            if (events.isEmpty()) break;
            for (RecordedEvent e : events) messages[n++] = Message.of(e);
            after = events.get(events.size() - 1).position();
        }
        if (n != messages.length) throw new IllegalStateException("read " + n + " events, the head is " + head);
        headers = new Map[n];
        for (int i = 0; i < n; i++) headers[i] = MessageHeaders.encode(messages[i]);
        if (!kafka) {
            amqpProperties = new AMQP.BasicProperties[n];
            for (int i = 0; i < n; i++) amqpProperties[i] = amqpProperties(messages[i], headers[i]);
        }
    }

    /** The properties the transport sets on every message, built with amqp-client from the envelope's headers. */
    private static AMQP.BasicProperties amqpProperties(Message message, Map<String, String> headers) {
        return new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .messageId(message.messageId().toString())
                .timestamp(Date.from(message.timestamp()))
                .contentType(message.contentType())
                .type(message.type())
                .correlationId(message.correlationId())
                .headers(new LinkedHashMap<>(headers))
                .build();
    }

    private int target(long events) {
        return (int) Math.min(events, messages.length);
    }

    private String nextName(String side) {
        return "bench-w4-" + runId + "-" + side + (++round);
    }

    @Override
    public Side factum() {
        return events -> {
            RelayParts parts = new RelayParts();
            Measurement m = relayRun(target(events), checkpoints, leases, nextName("f"), parts);
            if (++factumRuns > 1) measuredParts.add(parts);
            return m;
        };
    }

    @Override
    public Side limit() {
        return events -> kafka ? kafkaLimitRun(target(events), nextName("r"), false)
                : rabbitLimitRun(target(events), nextName("r"));
    }

    // ---- Factum: the relay ----------------------------------------------------------------------------------------

    /** A fresh relay from position 0 until its checkpoint reaches {@code target}, over a fresh topology. */
    private Measurement relayRun(int target, CheckpointStore checkpointStore, LeaseStore leaseStore, String name,
                                 RelayParts parts) throws Exception {
        String checkpoint = "relay:" + name;
        Position last = messagePosition(target);
        RelayParts running = new RelayParts();
        TimedCheckpoints timed = new TimedCheckpoints(checkpointStore, checkpoint, last, running);
        Measurement m;
        try (Broker broker = openBroker(name)) {
            Relay relay = Relay.builder(name, running.store(store), timed, running.transport(broker.transport()))
                    .lease(running.leases(leaseStore), Duration.ofSeconds(30))
                    .deadLetters(deadLetters)
                    .batchSize(o.relayBatch())
                    .build();
            CpuUse.Snapshot cpu = CpuUse.snapshot();
            long start = System.nanoTime();
            timed.start(start);
            relay.start();
            RelayStatus status;
            try {
                boolean reached = timed.await(relay);
                long nanos = System.nanoTime() - start;
                CpuUse used = cpu.until(CpuUse.snapshot());
                parts.add(running);
                parts.wallNanos = nanos;
                status = relay.status();
                if (!reached) {
                    throw new IllegalStateException("relay " + name + " did not reach position " + last + " within "
                            + DEADLINE.toMinutes() + " min: " + status);
                }
                m = new Measurement(target, nanos, timed.latency(), Map.of(), Optional.of(used));
            } finally {
                relay.close();
            }
            if (status.deadLettered() > 0 || status.published() < target) {
                throw new IllegalStateException("relay " + name + " published " + status.published()
                        + " and parked " + status.deadLettered() + " messages, expected " + target + " published");
            }
            status.lastError().ifPresent(error -> Harness.log("  (relay %s recovered from: %s)", name, error));
            broker.checkArrived(target, false);
        }
        checkpointStore.delete(checkpoint);
        return m;
    }

    private Position messagePosition(int count) {
        return Position.of(messages[count - 1].position());
    }

    /**
     * The relay's checkpoint store, wrapped: each save of the relay's checkpoint after a confirmed batch records the
     * batch's time, and the save that reaches the last position ends the run (the relay saves only after the broker
     * confirmed, so this is the moment every message up to it is confirmed).
     */
    private static final class TimedCheckpoints implements CheckpointStore {
        private final CheckpointStore delegate;
        private final String name;
        private final Position last;
        private final Histogram latency = Measurement.newHistogram();
        private final CountDownLatch done = new CountDownLatch(1);
        private final RelayParts parts;
        private long mark;

        TimedCheckpoints(CheckpointStore delegate, String name, Position last, RelayParts parts) {
            this.delegate = delegate;
            this.name = name;
            this.last = last;
            this.parts = parts;
        }

        void start(long nanos) {
            mark = nanos;
        }

        /** Waits for the last position; logs a relay failure once (the relay retries by itself). */
        boolean await(Relay relay) throws InterruptedException {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            String logged = null;
            while (System.nanoTime() < deadline) {
                if (done.await(1, TimeUnit.SECONDS)) return true;
                String error = relay.status().lastError().orElse(null);
                if (error != null && !error.equals(logged)) {
                    Harness.log("  relay %s: %s", relay.name(), error);
                    logged = error;
                }
            }
            return done.getCount() == 0;
        }

        Histogram latency() {
            return latency;
        }

        @Override
        public Optional<Position> load(String subscription) {
            return delegate.load(subscription);
        }

        @Override
        public void commit(Checkpoint checkpoint, TransactionalWork work) {
            long t0 = System.nanoTime();
            delegate.commit(checkpoint, work);
            if (!checkpoint.subscription().equals(name) || done.getCount() == 0) return;
            long now = System.nanoTime();
            parts.checkpoint.addAndGet(now - t0);
            latency.recordValue(Math.max(1_000L, now - mark));
            mark = now;
            if (checkpoint.position().compareTo(last) >= 0) done.countDown();
        }

        @Override
        public void delete(String subscription) {
            delegate.delete(subscription);
        }
    }

    // ---- the brokers ------------------------------------------------------------------------------------------------

    /** One run's topology on the broker: the transport of prefix {@code name}, its check and its removal. */
    private interface Broker extends AutoCloseable {
        Transport transport();

        /** Checks that at least (exactly, if {@code exact}) {@code count} messages of this run are on the broker. */
        void checkArrived(long count, boolean exact) throws Exception;

        @Override
        void close() throws Exception;
    }

    private Broker openBroker(String prefix) throws Exception {
        return kafka ? new KafkaRun(prefix, true) : new RabbitRun(prefix, true);
    }

    /** A RabbitMQ prefix with the sink queue, optionally with a started transport. */
    private final class RabbitRun implements Broker {
        private final RabbitMqTopology topology;
        private final RabbitMqTransport transport;
        private final ConsumerOptions sink = ConsumerOptions.of(SINK, CATEGORY + ".*");

        RabbitRun(String prefix, boolean withTransport) throws Exception {
            RabbitMqConfig config = RabbitMqConfig.of(o.rabbitUri()).withPrefix(prefix)
                    .withConfirmTimeout(CONFIRM_TIMEOUT);
            topology = RabbitMqTopology.of(config);
            if (withTransport) {
                transport = RabbitMqTransport.start(config, deadLetters);
                transport.declareConsumer(sink);
            } else {
                transport = null;
                try (Channel channel = adminChannel()) {
                    topology.declare(channel);
                    topology.declareConsumer(channel, sink);
                }
            }
        }

        @Override
        public Transport transport() {
            return transport;
        }

        String exchange() {
            return topology.eventsExchange();
        }

        @Override
        public void checkArrived(long count, boolean exact) throws Exception {
            try (Channel channel = adminChannel()) {
                long queued = channel.queueDeclarePassive(topology.queue(SINK)).getMessageCount();
                if (exact ? queued != count : queued < count) {
                    throw new IllegalStateException("queue " + topology.queue(SINK) + " holds " + queued
                            + " messages after the run, expected " + (exact ? "" : "at least ") + count);
                }
            }
        }

        @Override
        public void close() throws Exception {
            if (transport != null) transport.close();
            try (Channel channel = adminChannel()) {
                for (String queue : topology.consumerQueues(sink)) channel.queueDelete(queue);
                channel.queueDelete(topology.unroutedQueue());
                for (String exchange : topology.exchanges()) channel.exchangeDelete(exchange);
            }
        }
    }

    /** A Kafka topic prefix with the category topic created (and warmed up), optionally with a transport. */
    private final class KafkaRun implements Broker {
        private final KafkaConfig config;
        private final KafkaTransport transport;
        private final String topic;
        private final long offsetsBefore;

        KafkaRun(String prefix, boolean withTransport) throws Exception {
            config = KafkaConfig.of(o.kafkaBootstrap()).withTopicPrefix(prefix + ".");
            topic = config.naming().topic(CATEGORY);
            KafkaTopics.create(config, List.of(CATEGORY), List.of());
            offsetsBefore = endOffsets();
            transport = withTransport ? KafkaTransport.start(config, deadLetters) : null;
        }

        @Override
        public Transport transport() {
            return transport;
        }

        String topic() {
            return topic;
        }

        private long endOffsets() throws Exception {
            TopicDescription description = kafkaAdmin.describeTopics(List.of(topic)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return kafkaAdmin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        }

        @Override
        public void checkArrived(long count, boolean exact) throws Exception {
            long written = endOffsets() - offsetsBefore;
            if (exact ? written != count : written < count) {
                throw new IllegalStateException("topic " + topic + " received " + written + " records in the run,"
                        + " expected " + (exact ? "" : "at least ") + count);
            }
        }

        @Override
        public void close() throws Exception {
            if (transport != null) transport.close();
            kafkaAdmin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        }
    }

    // ---- the limits -------------------------------------------------------------------------------------------------

    /**
     * amqp-client: a fresh connection and one channel in confirm mode, the messages in batches of the relay's size
     * with one {@code waitForConfirmsOrDie} per batch.
     */
    private Measurement rabbitLimitRun(int count, String prefix) throws Exception {
        Histogram latency = Measurement.newHistogram();
        long nanos;
        CpuUse used;
        try (RabbitRun broker = new RabbitRun(prefix, false)) {
            String exchange = broker.exchange();
            String[] routingKeys = new String[count];
            byte[][] bodies = new byte[count][];
            for (int i = 0; i < count; i++) {
                routingKeys[i] = messages[i].routingKey();
                bodies[i] = messages[i].body().getBytes(StandardCharsets.UTF_8);
            }
            ConnectionFactory factory = rabbitFactory();
            CpuUse.Snapshot cpu = CpuUse.snapshot();
            long start = System.nanoTime();
            try (Connection connection = factory.newConnection("bench-w4-raw")) {
                Channel channel = connection.createChannel();
                channel.confirmSelect();
                long mark = start;
                for (int from = 0; from < count; from += o.relayBatch()) {
                    int to = Math.min(count, from + o.relayBatch());
                    for (int i = from; i < to; i++) {
                        channel.basicPublish(exchange, routingKeys[i], false, amqpProperties[i], bodies[i]);
                    }
                    channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT.toMillis());
                    long now = System.nanoTime();
                    latency.recordValue(Math.max(1_000L, now - mark));
                    mark = now;
                }
                nanos = System.nanoTime() - start;
                used = cpu.until(CpuUse.snapshot());
            }
            broker.checkArrived(count, true);
        }
        return new Measurement(count, nanos, latency, Map.of(), Optional.of(used));
    }

    /**
     * kafka-clients: a producer with the transport's settings, every record sent with a callback, timed until every
     * record is acknowledged. With {@code flushPerBatch} (breakdown only) it sends, flushes and waits for a batch of
     * the relay's size before the next, as the transport does.
     */
    private Measurement kafkaLimitRun(int count, String prefix, boolean flushPerBatch) throws Exception {
        Histogram latency = Measurement.newConcurrentHistogram();
        long nanos;
        CpuUse used;
        try (KafkaRun broker = new KafkaRun(prefix, false)) {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                RecordHeaders recordHeaders = new RecordHeaders();
                headers[i].forEach((name, value) -> recordHeaders.add(name, value.getBytes(StandardCharsets.UTF_8)));
                records.add(new ProducerRecord<>(broker.topic(), null,
                        messages[i].stream().getBytes(StandardCharsets.UTF_8),
                        messages[i].body().getBytes(StandardCharsets.UTF_8), recordHeaders));
            }
            AtomicLong acknowledged = new AtomicLong();
            AtomicLong mark = new AtomicLong();
            AtomicReference<Exception> failure = new AtomicReference<>();
            CountDownLatch all = new CountDownLatch(1);
            CpuUse.Snapshot cpu = CpuUse.snapshot();
            long start = System.nanoTime();
            mark.set(start);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                if (flushPerBatch) {
                    for (int from = 0; from < count; from += o.relayBatch()) {
                        int to = Math.min(count, from + o.relayBatch());
                        List<Future<RecordMetadata>> futures = new ArrayList<>(to - from);
                        for (int i = from; i < to; i++) futures.add(producer.send(records.get(i)));
                        producer.flush();
                        for (Future<RecordMetadata> future : futures) future.get(CONFIRM_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
                        long now = System.nanoTime();
                        latency.recordValue(Math.max(1_000L, now - mark.get()));
                        mark.set(now);
                    }
                } else {
                    for (ProducerRecord<byte[], byte[]> record : records) {
                        producer.send(record, (metadata, error) -> {
                            if (error != null) failure.compareAndSet(null, error);
                            long n = acknowledged.incrementAndGet();
                            if (n % o.relayBatch() == 0 || n == count) {
                                long now = System.nanoTime();
                                latency.recordValue(Math.max(1_000L, now - mark.getAndSet(now)));
                            }
                            if (n == count) all.countDown();
                        });
                    }
                    if (!all.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                        throw new IllegalStateException("only " + acknowledged.get() + " of " + count
                                + " records acknowledged within " + DEADLINE.toMinutes() + " min");
                    }
                }
                nanos = System.nanoTime() - start;
                used = cpu.until(CpuUse.snapshot());
            }
            if (failure.get() != null) throw new IllegalStateException("a record failed: " + failure.get(), failure.get());
            broker.checkArrived(count, true);
        }
        return new Measurement(count, nanos, latency, Map.of(), Optional.of(used));
    }

    /** The transport's producer settings (factum-kafka's ClientSettings with the default KafkaConfig), by hand. */
    private Properties producerProperties() {
        Properties props = new Properties();
        props.put("bootstrap.servers", o.kafkaBootstrap());
        props.put("client.id", "bench-w4-raw");
        props.put("linger.ms", "5");
        props.put("batch.size", Integer.toString(64 * 1024));
        props.put("request.timeout.ms", "29995");
        props.put("max.block.ms", "30000");
        props.put("enable.idempotence", "true");
        props.put("acks", "all");
        props.put("retries", Integer.toString(Integer.MAX_VALUE));
        props.put("max.in.flight.requests.per.connection", "5");
        props.put("delivery.timeout.ms", "30000");
        props.put("max.request.size", Integer.toString(1024 * 1024));
        return props;
    }

    /** kafka-clients' version, from the properties file in its jar. */
    private static String kafkaClientsVersion() {
        try (var in = KafkaProducer.class.getResourceAsStream("/kafka/kafka-version.properties")) {
            Properties version = new Properties();
            if (in != null) version.load(in);
            return version.getProperty("version", "?");
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private Properties adminProperties() {
        Properties props = new Properties();
        props.put("bootstrap.servers", o.kafkaBootstrap());
        props.put("client.id", "bench-w4-admin");
        props.put("request.timeout.ms", "30000");
        props.put("default.api.timeout.ms", "30000");
        return props;
    }

    /** A channel on the admin connection, connecting again if the broker closed it (another process restarted it). */
    private Channel adminChannel() throws Exception {
        if (rabbitAdmin == null || !rabbitAdmin.isOpen()) rabbitAdmin = rabbitFactory().newConnection("bench-w4-admin");
        return rabbitAdmin.createChannel();
    }

    private ConnectionFactory rabbitFactory() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(o.rabbitUri());
        factory.setAutomaticRecoveryEnabled(false);
        factory.setConnectionTimeout(10_000);
        return factory;
    }

    // ---- where the time goes ----------------------------------------------------------------------------------------

    /**
     * One run each over all events: the relay's store work alone (read + {@code Message.of}), the transport's
     * {@code publish} of the same messages without the store, the relay with in-memory checkpoint and lease stores,
     * and for Kafka the raw producer flushing and waiting per batch as the transport does.
     */
    @Override
    public List<String> breakdown() throws Exception {
        int count = messages.length;
        List<String> lines = new ArrayList<>();
        lines.add("in the measured Factum runs above (timed around the relay's calls): " + measuredParts.describe());
        long start = System.nanoTime();
        long read = 0;
        long sink = 0;
        Position after = Position.BEGINNING;
        while (true) {
            List<RecordedEvent> events = store.readAll(ReadAllOptions.after(after).limit(o.relayBatch()));
            if (events.isEmpty()) break;
            for (RecordedEvent e : events) sink += Message.of(e).body().length();
            read += events.size();
            after = events.get(events.size() - 1).position();
        }
        lines.add(String.format(Locale.ROOT, "the relay's store work alone: `EventStore.readAll` in batches of %d and"
                + " `Message.of` per event, nothing published: %,.0f events/s", o.relayBatch(),
                read / ((System.nanoTime() - start) / 1e9)));
        if (sink == 0) throw new IllegalStateException("empty bodies");

        try (Broker broker = openBroker(nextName("p"))) {
            Transport transport = broker.transport();
            List<Message> all = java.util.Arrays.asList(messages);
            start = System.nanoTime();
            for (int from = 0; from < count; from += o.relayBatch()) {
                transport.publish(all.subList(from, Math.min(count, from + o.relayBatch())));
            }
            long nanos = System.nanoTime() - start;
            broker.checkArrived(count, true);
            lines.add(String.format(Locale.ROOT, "`%s.publish` of the same messages in batches of %d, built before"
                            + " the clock (no store read, no checkpoint, no lease): %,.0f events/s",
                    kafka ? "KafkaTransport" : "RabbitMqTransport", o.relayBatch(), count / (nanos / 1e9)));
        }

        lines.add(conversion());
        lines.add(storeWritesPerBatch());
        Measurement inMemory = relayRun(count, new InMemoryCheckpointStore(), new InMemoryLeaseStore(), nextName("m"),
                new RelayParts());
        lines.add(String.format(Locale.ROOT, "the same relay with an `InMemoryCheckpointStore` and an"
                + " `InMemoryLeaseStore` (no store write per batch): %,.0f events/s", inMemory.eventsPerSecond()));
        if (kafka) {
            Measurement perBatch = kafkaLimitRun(count, nextName("b"), true);
            lines.add(String.format(Locale.ROOT, "the raw producer sending batches of %d, each flushed and all its"
                    + " acknowledgements awaited before the next (as the transport does): %,.0f events/s",
                    o.relayBatch(), perBatch.eventsPerSecond()));
        }
        return lines;
    }

    /**
     * What the transport does per message before the client sends it, alone over all messages (best of 3 passes, after
     * the rounds): the envelope as headers ({@code MessageHeaders.encode}) and the broker's record — for Kafka the
     * record headers ({@code KafkaHeaders.toKafka}), key and value bytes; for RabbitMQ the AMQP properties and body.
     */
    private String conversion() {
        long best = Long.MAX_VALUE;
        long sink = 0;
        for (int pass = 0; pass < 3; pass++) {
            long start = System.nanoTime();
            for (Message message : messages) {
                Map<String, String> envelope = MessageHeaders.encode(message);
                if (kafka) {
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("t", null,
                            message.stream().getBytes(StandardCharsets.UTF_8),
                            message.body().getBytes(StandardCharsets.UTF_8), KafkaHeaders.toKafka(envelope));
                    sink += record.value().length;
                } else {
                    AMQP.BasicProperties properties = amqpProperties(message, envelope);
                    sink += properties.getHeaders().size() + message.body().getBytes(StandardCharsets.UTF_8).length;
                }
            }
            best = Math.min(best, System.nanoTime() - start);
        }
        if (sink == 0) throw new IllegalStateException("nothing converted");
        return String.format(Locale.ROOT, "the message → %s conversion alone (`MessageHeaders.encode`, %s), best of 3"
                        + " passes over all messages on one thread: %,.0f events/s (%.2f µs per event)",
                kafka ? "record" : "AMQP message", kafka ? "`KafkaHeaders.toKafka`, key and value bytes"
                        : "AMQP properties with the headers, body bytes",
                messages.length / (best / 1e9), best / 1e3 / messages.length);
    }

    /**
     * The two writes the relay makes in the store per batch besides reading: the lease renewal before publishing and
     * the checkpoint save after the confirms, timed alone on the same store (one per relay batch of the run).
     */
    private String storeWritesPerBatch() {
        int batches = Math.max(1, (messages.length + o.relayBatch() - 1) / o.relayBatch());
        Histogram lease = Measurement.newHistogram();
        Histogram checkpoint = Measurement.newHistogram();
        String name = "relay:" + nextName("w");
        String owner = UUID.randomUUID().toString();
        for (int i = 1; i <= batches; i++) {
            long t0 = System.nanoTime();
            if (!leases.tryAcquire(name, owner, Duration.ofSeconds(30))) throw new IllegalStateException("lease " + name);
            long t1 = System.nanoTime();
            checkpoints.save(new Checkpoint(name, Position.of(i)));
            long t2 = System.nanoTime();
            lease.recordValue(Math.max(1_000L, t1 - t0));
            checkpoint.recordValue(Math.max(1_000L, t2 - t1));
        }
        leases.release(name, owner);
        checkpoints.delete(name);
        return String.format(Locale.ROOT, "the relay's two store writes per batch, alone, %d times: lease renewal"
                        + " (`LeaseStore.tryAcquire`) p50 %.3f ms, p99 %.3f ms, mean %.3f ms; checkpoint save"
                        + " (`CheckpointStore.save`) p50 %.3f ms, p99 %.3f ms, mean %.3f ms", batches,
                Harness.millis(lease.getValueAtPercentile(50)), Harness.millis(lease.getValueAtPercentile(99)),
                lease.getMean() / 1e6, Harness.millis(checkpoint.getValueAtPercentile(50)),
                Harness.millis(checkpoint.getValueAtPercentile(99)), checkpoint.getMean() / 1e6);
    }

    @Override
    public void close() throws java.sql.SQLException, java.io.IOException {
        if (store != null) store.close();
        if (kafkaAdmin != null) kafkaAdmin.close(Duration.ofSeconds(5));
        if (rabbitAdmin != null && rabbitAdmin.isOpen()) rabbitAdmin.close();
        if (sqlite()) {
            SqliteAppendWorkload.deleteDb(dir.resolve("store.db"));
        } else {
            Pg.dropSchema(o.pgUrl(), SCHEMA);
        }
        Files.deleteIfExists(dir);
    }
}
