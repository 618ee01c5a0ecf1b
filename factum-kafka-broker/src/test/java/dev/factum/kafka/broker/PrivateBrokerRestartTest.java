// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka.broker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static dev.factum.kafka.broker.Clients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(KafkaBrokerExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a hang guard, far above the seconds these take
class PrivateBrokerRestartTest {
    private static final List<KafkaBroker> handedOut = new ArrayList<>();

    @AfterAll
    static void every_private_broker_was_closed_and_its_data_deleted_after_its_test() {
        assertThat(handedOut).isNotEmpty().allSatisfy(broker -> {
            assertThat(broker.isRunning()).as("%s is running", broker).isFalse();
            assertThat(Files.exists(broker.dataDir())).as("%s still has its data directory", broker).isFalse();
        });
    }

    @Test
    void a_private_broker_is_started_and_is_not_the_shared_one(KafkaBroker broker, KafkaEndpoint shared) {
        handedOut.add(broker);
        assertThat(broker.isRunning()).isTrue();
        assertThat(broker.bootstrapServers()).isNotEqualTo(shared.bootstrapServers());
        assertThat(broker.endpoint()).isEqualTo(new KafkaEndpoint(broker.bootstrapServers(), false));
    }

    @Test
    void topics_records_and_committed_offsets_survive_a_restart_on_the_same_port(KafkaBroker broker) throws Exception {
        handedOut.add(broker);
        // given 200 records and a group that committed after reading all of them
        String topic = Clients.unique("survives");
        Clients.createTopic(broker.bootstrapServers(), topic, 2);
        List<String> sent = IntStream.range(0, 200).mapToObj(i -> "before-" + i).toList();
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (String value : sent) acks.add(producer.send(new ProducerRecord<>(topic, value, value)));
            for (Future<RecordMetadata> ack : acks) ack.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        String group = Clients.unique("group");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), group, "classic")) {
            consumer.subscribe(List.of(topic));
            assertThat(Clients.pollUntil(consumer, sent.size())).hasSize(sent.size());
            consumer.commitSync();
        }
        String address = broker.bootstrapServers();

        // when the broker stops and starts again
        broker.stop();
        assertThat(broker.isRunning()).isFalse();
        broker.start();

        // then it is on the same address, a new group reads every record, and the old group's offsets are there
        assertThat(broker.bootstrapServers()).isEqualTo(address);
        try (KafkaConsumer<String, String> consumer =
                     Clients.consumer(broker.bootstrapServers(), Clients.unique("after"), "classic")) {
            consumer.subscribe(List.of(topic));
            assertThat(Clients.values(Clients.pollUntil(consumer, sent.size()))).containsExactlyInAnyOrderElementsOf(sent);
        }
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum())
                    .as("200 records and 2 warm-up records committed before the restart").isEqualTo(202);
        }
    }

    @Test
    void a_producer_and_a_consumer_carry_on_across_a_restart(KafkaBroker broker) throws Exception {
        handedOut.add(broker);
        String topic = Clients.unique("across");
        Clients.createTopic(broker.bootstrapServers(), topic, 1);
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers());
             KafkaConsumer<String, String> consumer =
                     Clients.consumer(broker.bootstrapServers(), Clients.unique("group"), "classic")) {
            consumer.subscribe(List.of(topic));
            // given both clients working against the running broker
            List<String> before = IntStream.range(0, 50).mapToObj(i -> "before-" + i).toList();
            for (String value : before) producer.send(new ProducerRecord<>(topic, "k", value)).get();
            assertThat(Clients.values(Clients.pollUntil(consumer, before.size()))).containsExactlyElementsOf(before);
            consumer.commitSync();

            // when the broker goes down, the producer is given records while it is down, and the broker comes back
            broker.stop();
            List<String> during = IntStream.range(0, 50).mapToObj(i -> "during-" + i).toList();
            CountDownLatch sending = new CountDownLatch(1);
            // on a thread of its own: once the producer has noticed that the broker is gone, send() blocks until it
            // has the topic's metadata again (at most max.block.ms, 60 s)
            CompletableFuture<List<Future<RecordMetadata>>> handedOver = CompletableFuture.supplyAsync(() -> {
                List<Future<RecordMetadata>> acks = new ArrayList<>();
                sending.countDown();
                for (String value : during) acks.add(producer.send(new ProducerRecord<>(topic, "k", value)));
                return acks;
            });
            assertThat(sending.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(broker.isRunning()).isFalse();
            broker.start();

            // then every send succeeds once the broker is back, and the same consumer receives them, once and in order
            for (Future<RecordMetadata> ack : handedOver.get(2 * WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                ack.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            List<String> after = IntStream.range(0, 50).mapToObj(i -> "after-" + i).toList();
            for (String value : after) producer.send(new ProducerRecord<>(topic, "k", value)).get();
            List<String> expected = new ArrayList<>(during);
            expected.addAll(after);
            assertThat(Clients.values(Clients.pollUntil(consumer, expected.size()))).containsExactlyElementsOf(expected);
        }
    }
}
