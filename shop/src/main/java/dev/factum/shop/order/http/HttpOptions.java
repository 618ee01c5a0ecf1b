// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.http;

/**
 * How the shop's HTTP server listens.
 *
 * @param host            the interface to bind, e.g. {@code "0.0.0.0"} or {@code "127.0.0.1"}
 * @param port            the port; 0 picks a free one (tests)
 * @param maxRequestBytes the largest accepted request body; a larger one is refused with 413
 * @since 0.1
 */
public record HttpOptions(String host, int port, long maxRequestBytes) {
    /** The default port, 8080. */
    public static final int DEFAULT_PORT = 8080;
    /** The default largest request body, 64 KiB. */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;

    public HttpOptions {
        java.util.Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, was " + port);
        if (maxRequestBytes < 1) throw new IllegalArgumentException("maxRequestBytes must be >= 1, was " + maxRequestBytes);
    }

    /** Port 8080 on every interface, 64 KiB bodies. */
    public static HttpOptions defaults() {
        return new HttpOptions("0.0.0.0", DEFAULT_PORT, DEFAULT_MAX_REQUEST_BYTES);
    }

    public HttpOptions withHost(String value) {
        return new HttpOptions(value, port, maxRequestBytes);
    }

    public HttpOptions withPort(int value) {
        return new HttpOptions(host, value, maxRequestBytes);
    }

    public HttpOptions withMaxRequestBytes(long value) {
        return new HttpOptions(host, port, value);
    }
}
