// SPDX-License-Identifier: Apache-2.0
/**
 * Integration messages between processes: the {@link dev.factum.transport.Message} envelope of a stored event, its
 * broker headers ({@link dev.factum.transport.MessageHeaders}), the {@link dev.factum.transport.Transport} API
 * (publish with confirmation; consume with a {@link dev.factum.transport.MessageHandler} that acknowledges by
 * returning) and the embedded default, {@link dev.factum.transport.InProcessTransport}. Brokers live in
 * {@code factum-rabbitmq} and {@code factum-kafka}. No nulls cross this API; absent values are {@code Optional}.
 */
package dev.factum.transport;
