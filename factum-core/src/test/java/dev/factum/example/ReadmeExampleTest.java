// SPDX-License-Identifier: Apache-2.0
package dev.factum.example;

import dev.factum.event.Metadata;
import dev.factum.event.RecordedEvent;
import dev.factum.event.codec.EventCodec;
import dev.factum.store.AppendResult;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StreamId;
import dev.factum.store.WrongExpectedVersionException;
import dev.factum.subscription.InMemoryCheckpointStore;
import dev.factum.subscription.Subscription;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The example of factum-core/README.md, kept compiling and true. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReadmeExampleTest {

    sealed interface AccountEvent {
    }

    record AccountOpened(String owner) implements AccountEvent {
    }

    record MoneyDeposited(BigDecimal amount) implements AccountEvent {
    }

    @Test
    void the_readme_example_runs_as_written() {
        // --- README: begin
        EventCodec codec = EventCodec.builder().registerSealed(AccountEvent.class).build();
        try (EventStore store = new InMemoryEventStore()) {   // or SqliteEventStore.open(…), PostgresEventStore.open(…)
            StreamId account = StreamId.of("Account", "42");

            AppendResult opened = store.append(account, ExpectedVersion.noStream(), List.of(
                    codec.encode(new AccountOpened("ada"), Metadata.create().withUserId("ada"))));
            store.append(account, opened.nextExpectedVersion(), List.of(
                    codec.encode(new MoneyDeposited(new BigDecimal("19.99")))));

            // a writer that decided on a stale version is refused, and nothing of its append is written
            assertThatThrownBy(() -> store.append(account, ExpectedVersion.exactly(1),
                    List.of(codec.encode(new MoneyDeposited(BigDecimal.ONE)))))
                    .isInstanceOf(WrongExpectedVersionException.class);

            for (RecordedEvent e : store.readStream(account, ReadStreamOptions.forward())) {
                AccountEvent event = codec.decode(e, AccountEvent.class);
                System.out.println(e.position() + " " + e.stream() + "@" + e.version() + " " + event);
            }

            // follow the global order from a durable checkpoint, then live
            List<Object> seen = new CopyOnWriteArrayList<>();
            try (Subscription balances = Subscription.builder("balances", store, new InMemoryCheckpointStore())
                    .category("Account")
                    .handler(batch -> batch.events().forEach(e -> seen.add(codec.decode(e))))
                    .build()) {
                balances.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
            }
        }
        // --- README: end
    }
}
