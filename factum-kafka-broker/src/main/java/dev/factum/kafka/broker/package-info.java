// SPDX-License-Identifier: Apache-2.0
/**
 * Test support, not published: a real single-node Kafka broker in KRaft mode, started inside the JVM from Maven
 * Central jars ({@link dev.factum.kafka.broker.KafkaBroker}), the JUnit 5 extension that shares one per test run and
 * hands out private ones ({@link dev.factum.kafka.broker.KafkaBrokerExtension}), and
 * {@link dev.factum.kafka.broker.KafkaBrokerMain} to run one by hand. Depend on this module with test scope only.
 * No nulls cross this API; absent means {@link java.util.Optional}.
 */
package dev.factum.kafka.broker;
