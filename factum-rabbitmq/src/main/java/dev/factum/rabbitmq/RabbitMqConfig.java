// SPDX-License-Identifier: Apache-2.0
package dev.factum.rabbitmq;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the broker is and how {@link RabbitMqTransport} uses it.
 *
 * @param uri              the broker, {@code amqp://user:password@host:5672} ({@code amqps://} for TLS); a path names
 *                         the virtual host: none is the default {@code /}, {@code /orders} is {@code orders}, and a
 *                         bare trailing {@code /} is the empty name (not {@code /}; write {@code /%2F})
 * @param prefix           the first word of every exchange and queue name ({@code factum}): letters, digits,
 *                         {@code . _ -}, at most 50 characters; one prefix is one isolated topology on a broker
 * @param confirmTimeout   how long {@code publish} waits for the broker's confirms of a batch (default 30 s)
 * @param recoveryInterval the wait between attempts to reconnect after the connection was lost (default 2 s)
 * @param maxMessageBytes  the largest body {@code publish} sends; a larger message is refused for good before it is
 *                         sent (default 16 MiB; keep it at most the broker's {@code max_message_size})
 * @param unroutedMaxLength how many unroutable events the {@code <prefix>:unrouted} queue keeps (the oldest are
 *                         dropped beyond it; default 10,000)
 * @since 0.1
 */
public record RabbitMqConfig(URI uri, String prefix, Duration confirmTimeout, Duration recoveryInterval,
                             int maxMessageBytes, int unroutedMaxLength) {
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,50}");

    /** The prefix of every name when none is configured. */
    public static final String DEFAULT_PREFIX = "factum";

    public RabbitMqConfig {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (!"amqp".equals(scheme) && !"amqps".equals(scheme)) {
            throw new IllegalArgumentException("RabbitMQ uri '" + redacted(uri) + "' must start with amqp:// or amqps://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("RabbitMQ uri '" + redacted(uri) + "' names no host");
        }
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("RabbitMQ prefix '" + prefix
                    + "' must be 1-50 letters, digits, '.', '_' or '-'");
        }
        requirePositive(confirmTimeout, "confirmTimeout");
        requirePositive(recoveryInterval, "recoveryInterval");
        if (maxMessageBytes < 1) throw new IllegalArgumentException("maxMessageBytes must be >= 1, was " + maxMessageBytes);
        if (unroutedMaxLength < 1) {
            throw new IllegalArgumentException("unroutedMaxLength must be >= 1, was " + unroutedMaxLength);
        }
    }

    /**
     * The broker at {@code uri} ({@code amqp://guest:guest@127.0.0.1:5672}) with the defaults: prefix {@value #DEFAULT_PREFIX}, confirms within 30 s, reconnect
     * every 2 s, messages up to 16 MiB, 10,000 unroutable events kept.
     *
     * @throws IllegalArgumentException if {@code uri} is not an {@code amqp://} or {@code amqps://} URI with a host
     */
    public static RabbitMqConfig of(String uri) {
        try {
            return new RabbitMqConfig(new URI(Objects.requireNonNull(uri, "uri")), DEFAULT_PREFIX,
                    Duration.ofSeconds(30), Duration.ofSeconds(2), 16 * 1024 * 1024, 10_000);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("RabbitMQ uri is not a URI: " + e.getMessage(), e);
        }
    }

    public RabbitMqConfig withUri(URI value) {
        return new RabbitMqConfig(value, prefix, confirmTimeout, recoveryInterval, maxMessageBytes, unroutedMaxLength);
    }

    public RabbitMqConfig withPrefix(String value) {
        return new RabbitMqConfig(uri, value, confirmTimeout, recoveryInterval, maxMessageBytes, unroutedMaxLength);
    }

    public RabbitMqConfig withConfirmTimeout(Duration value) {
        return new RabbitMqConfig(uri, prefix, value, recoveryInterval, maxMessageBytes, unroutedMaxLength);
    }

    public RabbitMqConfig withRecoveryInterval(Duration value) {
        return new RabbitMqConfig(uri, prefix, confirmTimeout, value, maxMessageBytes, unroutedMaxLength);
    }

    public RabbitMqConfig withMaxMessageBytes(int value) {
        return new RabbitMqConfig(uri, prefix, confirmTimeout, recoveryInterval, value, unroutedMaxLength);
    }

    public RabbitMqConfig withUnroutedMaxLength(int value) {
        return new RabbitMqConfig(uri, prefix, confirmTimeout, recoveryInterval, maxMessageBytes, value);
    }

    /** {@code host:port}, for messages. */
    public String address() {
        int port = uri.getPort() > 0 ? uri.getPort() : "amqps".equals(uri.getScheme()) ? 5671 : 5672;
        return uri.getHost() + ":" + port;
    }

    /** The configuration without the password. */
    @Override
    public String toString() {
        return "RabbitMqConfig[uri=" + redacted(uri) + ", prefix=" + prefix + ", confirmTimeout=" + confirmTimeout
                + ", recoveryInterval=" + recoveryInterval + ", maxMessageBytes=" + maxMessageBytes
                + ", unroutedMaxLength=" + unroutedMaxLength + "]";
    }

    private static String redacted(URI uri) {
        String info = uri.getRawUserInfo();
        if (info == null) return uri.toString();
        int colon = info.indexOf(':');
        String user = colon < 0 ? info : info.substring(0, colon) + ":***";
        return uri.toString().replace(info + "@", user + "@");
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
}
