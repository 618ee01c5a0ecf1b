// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka.internal;

import dev.factum.kafka.KafkaConfig;

import java.util.Map;
import java.util.Properties;

/** The Kafka client settings of the transport, in one place (the module README explains each). Not an API. */
public final class ClientSettings {
    private static final int DEFAULT_LINGER_MS = 5;

    private ClientSettings() {
    }

    /** The publishing producer: idempotent, {@code acks=all}, bounded by the delivery timeout. */
    public static Properties producer(KafkaConfig config, String clientId) {
        Properties props = new Properties();
        props.put("bootstrap.servers", config.bootstrapServers());
        props.put("client.id", clientId);
        props.put("linger.ms", Integer.toString(DEFAULT_LINGER_MS));
        props.put("batch.size", Integer.toString(64 * 1024));
        props.putAll(config.producerProperties());
        long delivery = config.deliveryTimeout().toMillis();
        long linger = Long.parseLong(props.getProperty("linger.ms"));
        // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms
        if (!config.producerProperties().containsKey("request.timeout.ms")) {
            props.put("request.timeout.ms", Long.toString(Math.max(1, Math.min(30_000, delivery - linger))));
        }
        if (!config.producerProperties().containsKey("max.block.ms")) {
            props.put("max.block.ms", Long.toString(delivery));
        }
        props.put("enable.idempotence", "true");
        props.put("acks", "all");
        props.put("retries", Integer.toString(Integer.MAX_VALUE));
        props.put("max.in.flight.requests.per.connection", "5");
        props.put("delivery.timeout.ms", Long.toString(delivery));
        props.put("max.request.size", Integer.toString(config.maxMessageBytes()));
        return props;
    }

    /** The producer that writes the first record of new partitions: one request in flight. */
    public static Properties warmUpProducer(KafkaConfig config) {
        Properties props = producer(config, "factum-topics-warm-up");
        props.put("max.in.flight.requests.per.connection", "1");
        props.put("linger.ms", "0");
        return props;
    }

    /** A consumer of group {@code group}: manual commits, {@code prefetch} records per poll, no topic creation. */
    public static Properties consumer(KafkaConfig config, String group, int prefetch) {
        Properties props = new Properties();
        props.put("bootstrap.servers", config.bootstrapServers());
        props.put("client.id", "factum-" + group);
        props.put("auto.offset.reset", "earliest");
        props.put("default.api.timeout.ms", Long.toString(config.deliveryTimeout().toMillis()));
        props.putAll(config.consumerProperties());
        props.put("group.id", group);
        props.put("enable.auto.commit", "false");
        props.put("max.poll.records", Integer.toString(prefetch));
        props.put("allow.auto.create.topics", "false");
        return props;
    }

    /** The admin client: the producer's security settings, calls bounded by the delivery timeout. */
    public static Properties admin(KafkaConfig config) {
        Properties props = new Properties();
        props.put("bootstrap.servers", config.bootstrapServers());
        props.put("client.id", "factum-topics");
        for (Map.Entry<String, String> entry : config.producerProperties().entrySet()) {
            String key = entry.getKey();
            if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                props.put(key, entry.getValue());
            }
        }
        long delivery = config.deliveryTimeout().toMillis();
        props.put("request.timeout.ms", Long.toString(Math.min(30_000, delivery)));
        props.put("default.api.timeout.ms", Long.toString(delivery));
        return props;
    }
}
