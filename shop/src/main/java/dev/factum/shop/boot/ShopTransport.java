// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.boot;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the shop's integration events travel from the Order context to its consumers: read from the store by
 * in-process consumers (the embedded default), or published by the relay to RabbitMQ or Kafka.
 *
 * @since 0.1
 */
public enum ShopTransport {
    IN_PROCESS("in-process"), RABBITMQ("rabbitmq"), KAFKA("kafka");

    private final String flag;

    ShopTransport(String flag) {
        this.flag = flag;
    }

    /** The name used in {@code --transport}. */
    public String flag() {
        return flag;
    }

    static ShopTransport parse(String source, String value) {
        String wanted = value.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.flag.equals(wanted)).findFirst().orElseThrow(() ->
                new IllegalArgumentException(source + " must be in-process, rabbitmq or kafka, got '" + value + "'"));
    }
}
