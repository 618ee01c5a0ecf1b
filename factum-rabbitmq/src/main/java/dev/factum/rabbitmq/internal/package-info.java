// SPDX-License-Identifier: Apache-2.0
/** Implementation details of {@code factum-rabbitmq}: AMQP message mapping and the confirmed publisher. Not an API. */
package dev.factum.rabbitmq.internal;
