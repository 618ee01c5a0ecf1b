// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.event.codec.EventCodec;
import dev.factum.event.codec.MetadataCodec;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.StreamId;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The rows of one append run, built before the clock starts so that both sides write exactly the same bytes: writer
 * {@code w} appends, in turn, to its own streams {@code Order-w<w>s<k>} (k &lt; streamsPerWriter), {@code batch}
 * events per append; each append's expected version is the stream's version so far ({@code noStream()} first).
 */
final class AppendPlan {
    static final EventCodec CODEC = EventCodec.builder().register("OrderPlaced", OrderPlaced.class).build();
    private static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");

    /** One event as a row: the stream, its version there, the event, and its metadata as the stores keep it. */
    record Row(StreamId stream, long version, NewEvent event, String metadataJson) {
    }

    private final int batch;
    private final int streamsPerWriter;
    private final Row[][] rows;

    private AppendPlan(int batch, int streamsPerWriter, Row[][] rows) {
        this.batch = batch;
        this.streamsPerWriter = streamsPerWriter;
        this.rows = rows;
    }

    /** A plan of about {@code events} events (rounded down to whole appends) over {@code writers} writers. */
    static AppendPlan build(int writers, long events, int batch, int streamsPerWriter) {
        long operations = operations(events, batch);
        Row[][] rows = new Row[writers][];
        long n = 0;
        for (int w = 0; w < writers; w++) {
            int ops = Writers.operationsOf(w, writers, operations);
            rows[w] = new Row[ops * batch];
            for (int i = 0; i < ops; i++) {
                StreamId stream = StreamId.of("Order", "w" + w + "s" + (i % streamsPerWriter));
                long first = (long) (i / streamsPerWriter) * batch + 1;
                for (int e = 0; e < batch; e++) {
                    NewEvent event = CODEC.encode(payload(n++), Metadata.create());
                    rows[w][i * batch + e] = new Row(stream, first + e, event, MetadataCodec.toJson(event.metadata()));
                }
            }
        }
        return new AppendPlan(batch, streamsPerWriter, rows);
    }

    static long operations(long events, int batch) {
        return Math.max(1, events / batch);
    }

    static OrderPlaced payload(long n) {
        return new OrderPlaced("order-" + n, "customer-" + (n * 7919 % 100_000), "SKU-" + (n % 5_000),
                (int) (n % 9) + 1, BigDecimal.valueOf(1999 + n % 100_000, 2), "EUR", T0.plusMillis(n * 37));
    }

    /** The rows of writer {@code writer}'s {@code index}-th append. */
    List<Row> rows(int writer, int index) {
        return Arrays.asList(rows[writer]).subList(index * batch, (index + 1) * batch);
    }

    List<NewEvent> events(int writer, int index) {
        return rows(writer, index).stream().map(Row::event).toList();
    }

    ExpectedVersion expected(int writer, int index) {
        long first = rows[writer][index * batch].version();
        return first == 1 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(first - 1);
    }

    StreamId stream(int writer, int index) {
        return rows[writer][index * batch].stream();
    }

    int batch() {
        return batch;
    }

    int streamsPerWriter() {
        return streamsPerWriter;
    }
}
