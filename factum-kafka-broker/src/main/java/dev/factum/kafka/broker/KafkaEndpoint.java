// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka.broker;

import java.util.Objects;

/**
 * Where a test's Kafka broker is: what {@link KafkaBrokerExtension} hands a test for the shared broker, whether it
 * runs in this JVM or outside it ({@code FACTUM_TEST_KAFKA_BOOTSTRAP}).
 *
 * @param bootstrapServers the {@code bootstrap.servers} value clients use, for example {@code 127.0.0.1:40123}
 * @param external         whether the broker was named by {@code FACTUM_TEST_KAFKA_BOOTSTRAP} instead of started
 *                         here (its topics may hold data from earlier runs: use fresh topic and group names)
 * @since 0.1
 */
public record KafkaEndpoint(String bootstrapServers, boolean external) {
    public KafkaEndpoint {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) throw new IllegalArgumentException("bootstrapServers is blank");
    }
}
