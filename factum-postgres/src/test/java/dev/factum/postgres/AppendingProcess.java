// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.event.NewEvent;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.StreamId;

import java.util.List;

/**
 * A second process for {@link PostgresSecondProcessTest}: opens a store on the given schema and appends {@code count}
 * single-event appends to ten streams of category {@code Remote}. Arguments: jdbcUrl schema count.
 */
public final class AppendingProcess {
    private AppendingProcess() {
    }

    public static void main(String[] args) {
        String url = args[0];
        String schema = args[1];
        int count = Integer.parseInt(args[2]);
        try (PostgresEventStore store = PostgresEventStore.open(PostgresConfig.of(url).withSchema(schema))) {
            for (int i = 0; i < count; i++) {
                store.append(StreamId.of("Remote", Integer.toString(i % 10)), ExpectedVersion.any(),
                        List.of(NewEvent.of("Sent", "{\"n\":" + i + "}")));
            }
        }
        System.out.println("appended " + count);
    }
}
