// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.event.codec.EventCodec;
import dev.factum.postgres.PostgresConfig;
import dev.factum.postgres.PostgresEventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.StreamId;
import dev.factum.store.ReadAllOptions;
import dev.factum.subscription.CheckpointStore;
import dev.factum.subscription.InMemoryCheckpointStore;
import dev.factum.subscription.Subscription;
import dev.factum.subscription.SubscriptionMetrics;
import dev.factum.subscription.SubscriptionStatus;
import org.HdrHistogram.Histogram;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * W2: catch-up read of the whole store in global order, each event decoded into its record. Factum: a core
 * {@link Subscription} from the beginning with the store's own checkpoint store, timed until its committed checkpoint
 * reaches the head. Limit: one streaming JDBC query over the same table with the same fetch size, decoding the same
 * JSON into the same record with Jackson.
 */
final class CatchUpWorkload implements Workload {
    private static final String SCHEMA = "bench_w2";
    private static final int SEED_APPEND = 1000;
    private static final int SEED_WRITERS = 4;

    private final BenchOptions o;
    private final EventCodec codec = AppendPlan.CODEC;
    private final ObjectMapper mapper = EventCodec.defaultMapper();
    private PostgresEventStore store;
    private int round;
    /** Keeps the decoded values alive so the JIT cannot drop the decoding. */
    private final AtomicLong sink = new AtomicLong();

    CatchUpWorkload(BenchOptions options) {
        this.o = options;
    }

    @Override
    public String id() {
        return "W2";
    }

    @Override
    public String title() {
        return "catch-up read of the global order decoded to records, PostgreSQL";
    }

    @Override
    public String store() {
        return "postgres";
    }

    @Override
    public int writers() {
        return 1;
    }

    @Override
    public String limitName() {
        return "raw-jdbc-streaming-select";
    }

    @Override
    public String operation() {
        return "one batch of " + o.fetchSize() + " events (Factum: read + decode + checkpoint commit; limit: one fetch"
                + " + decode)";
    }

    @Override
    public String machine() throws Exception {
        return Machine.client() + ", " + Pg.serverSettings(o.pgUrl());
    }

    @Override
    public String description() {
        return """
                Seeding (not timed, once per run): `PostgresEventStore.open(PostgresConfig.of(url).withSchema("%1$s"))` \
                in a fresh schema, then %2$,d events appended by %3$d threads in appends of %4$d events (one new \
                stream each). Factum: `Subscription.builder(name, store, store.checkpointStore()).batchSize(%5$d)` \
                from `Position.BEGINNING`, whose handler decodes every event with `EventCodec.decode(event, \
                OrderPlaced.class)`; timed from `start()` until the checkpoint committed after a batch reaches the \
                head position (seen through the `SubscriptionMetrics` hook); a fresh subscription name per run. \
                Limit: one plain JDBC connection, auto-commit off, `setFetchSize(%5$d)`, one `SELECT` of the same \
                columns the store reads `FROM %1$s.events ORDER BY position`, decoding each row's `data` into \
                `OrderPlaced` with `ObjectMapper.readValue` (the codec's mapper settings); no checkpoint. Both sides \
                read the same table.
                """.formatted(SCHEMA, o.events(), SEED_WRITERS, SEED_APPEND, o.fetchSize());
    }

    @Override
    public void setUp() throws Exception {
        Pg.dropSchema(o.pgUrl(), SCHEMA);
        store = PostgresEventStore.open(PostgresConfig.of(o.pgUrl()).withSchema(SCHEMA));
        long appends = (o.events() + SEED_APPEND - 1) / SEED_APPEND;
        long started = System.nanoTime();
        Writers.run(SEED_WRITERS, appends, SEED_APPEND, (w, i) -> {
            long first = ((long) i * SEED_WRITERS + w) * SEED_APPEND;
            int size = (int) Math.min(SEED_APPEND, o.events() - first);
            if (size <= 0) return;
            List<NewEvent> events = new ArrayList<>(size);
            for (int e = 0; e < size; e++) events.add(codec.encode(AppendPlan.payload(first + e)));
            store.append(StreamId.of("Order", "seed" + w + "x" + i), ExpectedVersion.noStream(), events);
        });
        Harness.log("W2: seeded %,d events in %.1f s (head position %s)", Pg.count(o.pgUrl(), SCHEMA + ".events"),
                (System.nanoTime() - started) / 1e9, store.headPosition());
    }

    @Override
    public Side factum() {
        return events -> {
            String name = "bench-w2-" + (++round);
            return subscriptionRun(Math.min(events, store.headPosition().value()), store.checkpointStore(), name);
        };
    }

    /** Runs a fresh subscription from the beginning until its committed checkpoint reaches {@code target}. */
    private Measurement subscriptionRun(long until, CheckpointStore checkpoints, String name) throws Exception {
        Position target = Position.of(until);
        checkpoints.delete(name);
        Histogram latency = Measurement.newHistogram();
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] last = new long[1];
        SubscriptionMetrics metrics = new SubscriptionMetrics() {
            @Override
            public void batchHandled(String subscription, int count, Duration took, SubscriptionStatus status) {
                long now = System.nanoTime();
                latency.recordValue(Math.max(1_000L, now - last[0]));
                last[0] = now;
                if (status.checkpoint().compareTo(target) >= 0) done.countDown();
            }

            @Override
            public void failed(String subscription, Throwable error) {
                failure.set(error);
                done.countDown();
            }
        };
        Subscription subscription = Subscription.builder(name, store, checkpoints)
                .batchSize(o.fetchSize())
                .metrics(metrics)
                .handler(batch -> {
                    long s = 0;
                    for (RecordedEvent e : batch.events()) s += codec.decode(e, OrderPlaced.class).quantity();
                    sink.addAndGet(s);
                })
                .build();
        long start = System.nanoTime();
        last[0] = start;
        long nanos;
        subscription.start();
        try {
            boolean reached = done.await(10, TimeUnit.MINUTES);
            nanos = System.nanoTime() - start;
            if (!reached || failure.get() != null) {
                throw new IllegalStateException("subscription " + name + " did not reach position " + target + ": "
                        + subscription.status(), failure.get());
            }
        } finally {
            subscription.stop();
        }
        checkpoints.delete(name);
        return new Measurement(target.value(), nanos, latency);
    }

    @Override
    public Side limit() {
        return events -> {
            Histogram latency = Measurement.newHistogram();
            long count = 0;
            long s = 0;
            long start;
            long nanos;
            try (Connection c = Pg.connect(o.pgUrl())) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement("SELECT position, stream, category, version, type,"
                        + " data::text, metadata::text, recorded_at FROM " + SCHEMA + ".events ORDER BY position")) {
                    ps.setFetchSize(o.fetchSize());
                    start = System.nanoTime();
                    long mark = start;
                    try (ResultSet rs = ps.executeQuery()) {
                        while (count < events && rs.next()) {
                            long position = rs.getLong(1);
                            String type = rs.getString(5);
                            if (position <= 0 || !"OrderPlaced".equals(type)) {
                                throw new IllegalStateException("unexpected row at position " + position + ": " + type);
                            }
                            s += mapper.readValue(rs.getString(6), OrderPlaced.class).quantity();
                            if (++count % o.fetchSize() == 0) {
                                long now = System.nanoTime();
                                latency.recordValue(Math.max(1_000L, now - mark));
                                mark = now;
                            }
                        }
                    }
                    nanos = System.nanoTime() - start;
                }
                c.commit();
            }
            sink.addAndGet(s);
            return new Measurement(count, nanos, latency);
        };
    }

    /**
     * Where the Factum side's time goes, one run each over all events: {@code readAll} batches alone, {@code readAll}
     * plus decoding, and the subscription with an in-memory checkpoint store (no checkpoint transaction).
     */
    @Override
    public List<String> breakdown() throws Exception {
        long head = store.headPosition().value();
        List<String> lines = new ArrayList<>();
        for (boolean decode : new boolean[]{false, true}) {
            long start = System.nanoTime();
            long count = 0;
            long s = 0;
            Position after = Position.BEGINNING;
            while (true) {
                List<RecordedEvent> events = store.readAll(ReadAllOptions.after(after).limit(o.fetchSize()));
                if (events.isEmpty()) break;
                if (decode) for (RecordedEvent e : events) s += codec.decode(e, OrderPlaced.class).quantity();
                count += events.size();
                after = events.get(events.size() - 1).position();
            }
            sink.addAndGet(s);
            lines.add(String.format(Locale.ROOT, "`EventStore.readAll` loop, batches of %d%s: %,.0f events/s",
                    o.fetchSize(), decode ? ", each event decoded" : ", no decoding",
                    count / ((System.nanoTime() - start) / 1e9)));
        }
        Measurement inMemory = subscriptionRun(head, new InMemoryCheckpointStore(), "bench-w2-in-memory");
        lines.add(String.format(Locale.ROOT, "the same subscription with an `InMemoryCheckpointStore`: %,.0f events/s",
                inMemory.eventsPerSecond()));
        return lines;
    }

    @Override
    public void close() throws java.sql.SQLException {
        if (store != null) store.close();
        Pg.dropSchema(o.pgUrl(), SCHEMA);
        Harness.log("(decoded quantities checksum %d)", sink.get());
    }
}
