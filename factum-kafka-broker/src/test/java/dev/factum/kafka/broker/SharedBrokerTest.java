// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka.broker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.factum.kafka.broker.Clients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(KafkaBrokerExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SharedBrokerTest {
    private static KafkaEndpoint seenBeforeAll;

    @BeforeAll
    static void takeTheSharedBroker(KafkaEndpoint kafka) {
        seenBeforeAll = kafka;
    }

    @Test
    void every_parameter_gets_the_same_shared_broker(KafkaEndpoint kafka, KafkaEndpoint again) {
        assertThat(kafka).isEqualTo(again).isEqualTo(seenBeforeAll);
        assertThat(kafka.external()).as("started here: FACTUM_TEST_KAFKA_BOOTSTRAP is not set in this build").isFalse();
        assertThat(kafka.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
    }

    @ParameterizedTest(name = "group protocol {0}")
    @ValueSource(strings = {"classic", "consumer"})
    void an_idempotent_producer_and_a_consumer_group_round_trip_records_and_commit(String protocol, KafkaEndpoint kafka)
            throws Exception {
        // given a fresh topic with three partitions
        String topic = Clients.unique("round-trip");
        Clients.createTopic(kafka.bootstrapServers(), topic, 3);

        // when 300 keyed records are produced, pipelined, and consumed by a group that commits
        List<String> sent = IntStream.range(0, 300).mapToObj(i -> "value-" + i).toList();
        try (KafkaProducer<String, String> producer = Clients.producer(kafka.bootstrapServers())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, "key-" + (i % 7), sent.get(i))));
            }
            for (Future<RecordMetadata> ack : acks) ack.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        String group = Clients.unique("group");
        List<ConsumerRecord<String, String>> received;
        try (KafkaConsumer<String, String> consumer = Clients.consumer(kafka.bootstrapServers(), group, protocol)) {
            consumer.subscribe(List.of(topic));
            received = Clients.pollUntil(consumer, sent.size());
            consumer.commitSync();
        }

        // then every record arrived once, each key's records in the order sent, and the group's offsets are stored
        assertThat(Clients.values(received)).containsExactlyInAnyOrderElementsOf(sent);
        Map<String, List<String>> byKey = received.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                Collectors.mapping(ConsumerRecord::value, Collectors.toList())));
        byKey.values().forEach(values -> assertThat(values)
                .isSortedAccordingTo((a, b) -> Integer.compare(number(a), number(b))));
        try (Admin admin = Clients.admin(kafka.bootstrapServers())) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            long total = committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
            assertThat(total).as("committed offsets: 300 records and 3 warm-up records").isEqualTo(303);
        }
    }

    @Test
    void a_new_member_of_a_group_resumes_after_the_committed_offset(KafkaEndpoint kafka) throws Exception {
        String topic = Clients.unique("resume");
        Clients.createTopic(kafka.bootstrapServers(), topic, 1);
        String group = Clients.unique("group");
        try (KafkaProducer<String, String> producer = Clients.producer(kafka.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topic, "k", "first")).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            try (KafkaConsumer<String, String> consumer = Clients.consumer(kafka.bootstrapServers(), group, "classic")) {
                consumer.subscribe(List.of(topic));
                assertThat(Clients.values(Clients.pollUntil(consumer, 1))).containsExactly("first");
                consumer.commitSync();
            }
            producer.send(new ProducerRecord<>(topic, "k", "second")).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(kafka.bootstrapServers(), group, "classic")) {
            consumer.subscribe(List.of(topic));
            assertThat(Clients.values(Clients.pollUntil(consumer, 1))).containsExactly("second");
        }
    }

    private static int number(String value) {
        return Integer.parseInt(value.substring(value.indexOf('-') + 1));
    }
}
