// SPDX-License-Identifier: Apache-2.0
package dev.factum.transport;

import dev.factum.event.NewEvent;
import dev.factum.inbox.InMemoryInbox;
import dev.factum.inbox.Inbox;
import dev.factum.relay.InMemoryLeaseStore;
import dev.factum.relay.Relay;
import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterQuery;
import dev.factum.retry.DeadLetterState;
import dev.factum.retry.DeadLetters;
import dev.factum.retry.InMemoryDeadLetterStore;
import dev.factum.retry.RetryPolicy;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.StreamId;
import dev.factum.subscription.CheckpointStore;
import dev.factum.subscription.InMemoryCheckpointStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The example of the README's "Messaging" section, as written there (keep both in step). */
class MessagingReadmeExampleTest {

    @Test
    void the_messaging_example_runs_as_the_readme_says() throws Exception {
        InMemoryDeadLetterStore deadLetterStore = new InMemoryDeadLetterStore();
        CheckpointStore checkpoints = new InMemoryCheckpointStore();
        try (EventStore store = new InMemoryEventStore();
             Transport transport = new InProcessTransport(store, checkpoints, deadLetterStore)) {
            Inbox inbox = new InMemoryInbox();
            List<String> shipped = new CopyOnWriteArrayList<>();

            MessageConsumer shipping = transport.consume(ConsumerOptions.of("shipping", "Order.OrderPaid")
                            .withRetry(RetryPolicy.exponential(3, Duration.ofMillis(100), Duration.ofSeconds(1))),
                    message -> {
                        if (message.body().contains("teleport")) throw new RejectedMessageException("no teleport carrier");
                        inbox.handleOnce("shipping", message, tx -> shipped.add(message.stream()));  // once per message id
                    });
            DeadLetters deadLetters = new DeadLetters(deadLetterStore).register(shipping);   // its replay target

            store.append(StreamId.of("Order", "7"), ExpectedVersion.any(), List.of(NewEvent.of("OrderPaid", "{\"by\":\"card\"}")));
            store.append(StreamId.of("Order", "8"), ExpectedVersion.any(), List.of(NewEvent.of("OrderPaid", "{\"by\":\"teleport\"}")));
            await().until(() -> shipped.equals(List.of("Order-7")) && !deadLetters.list(DeadLetterQuery.all()).isEmpty());

            DeadLetter letter = deadLetters.list(DeadLetterQuery.all().consumer("shipping")).get(0);
            assertThat(letter.reason()).isEqualTo("RejectedMessageException: no teleport carrier");   // parked, 1 attempt
            deadLetters.discard(letter.id(), "teleport is not a carrier");                           // or replay(id)

            // to a broker: the relay (over the in-process transport it only moves its checkpoint, so wiring stays the same)
            try (Relay relay = Relay.builder("orders-out", store, checkpoints, transport).bindings("Order.*")
                    .lease(new InMemoryLeaseStore(), Duration.ofSeconds(30)).deadLetters(deadLetterStore).build().start()) {
                await().until(() -> relay.status().lag() == 0);
            }

            // what the README states in comments
            assertThat(letter.state()).isEqualTo(DeadLetterState.PARKED);
            assertThat(letter.attempts()).hasSize(1);
            assertThat(deadLetters.inspect(letter.id()).state()).isEqualTo(DeadLetterState.DISCARDED);
            assertThat(checkpoints.load("relay:orders-out")).contains(store.headPosition());
        }
    }
}
