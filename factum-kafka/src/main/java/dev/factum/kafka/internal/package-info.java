// SPDX-License-Identifier: Apache-2.0
/** Implementation of the Kafka transport: client settings and the consumer loop. Not an API. */
package dev.factum.kafka.internal;
