// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.event.NewEvent;
import dev.factum.store.AppendResult;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.StreamId;

import java.nio.file.Path;
import java.util.List;

/**
 * Run as a separate JVM by {@link SqliteCrashTest}: appends from four threads forever and prints
 * {@code ack <event id> <position>} for each append the store acknowledged, until the test kills it.
 */
public final class CrashingAppender {
    public static void main(String[] args) {
        SqliteEventStore store = SqliteEventStore.open(SqliteConfig.of(Path.of(args[0])));
        for (int t = 0; t < 4; t++) {
            int writer = t;
            Thread.ofPlatform().start(() -> {
                for (long i = 0; ; i++) {
                    NewEvent event = NewEvent.of("Tested", "{\"writer\":" + writer + ",\"i\":" + i + "}");
                    AppendResult result = store.append(StreamId.of("Crash", Long.toString(i % 5)), ExpectedVersion.any(),
                            List.of(event));
                    synchronized (System.out) {
                        System.out.println("ack " + event.eventId() + " " + result.firstPosition());
                        System.out.flush();
                    }
                }
            });
        }
    }
}
