// SPDX-License-Identifier: Apache-2.0
package dev.factum.transport;

import java.util.Optional;

/**
 * A consumer's state and counters since it started.
 *
 * @param name         the consumer's name
 * @param running      whether it is consuming
 * @param handled      messages its handler acknowledged
 * @param retried      failed attempts that were scheduled again
 * @param deadLettered messages that became dead letters
 * @param lastError    the latest handler error, if any
 * @since 0.1
 */
public record ConsumerStatus(String name, boolean running, long handled, long retried, long deadLettered,
                             Optional<String> lastError) {
}
