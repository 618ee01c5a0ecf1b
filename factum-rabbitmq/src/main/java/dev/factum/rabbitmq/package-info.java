// SPDX-License-Identifier: Apache-2.0
/**
 * The {@link dev.factum.transport.Transport} over RabbitMQ: {@link dev.factum.rabbitmq.RabbitMqTransport} (publish
 * with batch confirms; consume with manual acknowledgement, prefetch, retries through delay queues and a dead-letter
 * queue), its configuration {@link dev.factum.rabbitmq.RabbitMqConfig}, the exchanges and queues
 * {@link dev.factum.rabbitmq.RabbitMqTopology} declares, and the retry headers {@link dev.factum.rabbitmq.RabbitMqHeaders}.
 * No nulls cross this API; absent values are {@code Optional}.
 */
package dev.factum.rabbitmq;
