// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka.broker;

/**
 * A {@link KafkaBroker} could not be started: a port is taken, the data directory cannot be formatted, or the broker
 * did not come up in time. The message names the address and the directory.
 *
 * @since 0.1
 */
public class KafkaBrokerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KafkaBrokerException(String message) {
        super(message);
    }

    public KafkaBrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
