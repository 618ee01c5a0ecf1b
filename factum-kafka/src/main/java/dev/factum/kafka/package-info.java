// SPDX-License-Identifier: Apache-2.0
/**
 * The transport over Kafka: {@link dev.factum.kafka.KafkaTransport} (publish with an idempotent {@code acks=all}
 * producer, one topic per stream category keyed by stream; consumer groups with per-stream retries and a dead-letter
 * topic), its configuration ({@link dev.factum.kafka.KafkaConfig}, {@link dev.factum.kafka.TopicNaming}), the admin
 * step that creates topics ({@link dev.factum.kafka.KafkaTopics}) and the record headers besides the envelope
 * ({@link dev.factum.kafka.KafkaHeaders}). No nulls cross this API; absent values are {@code Optional}.
 */
package dev.factum.kafka;
