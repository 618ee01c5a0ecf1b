// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.boot;

/**
 * The shop could not start: a bad argument, an event store it cannot open (PostgreSQL unreachable, a SQLite file it
 * cannot create) or a port it cannot listen on. The message is one line naming the problem, fit for stderr; the cause,
 * if any, is attached. Whatever had been opened before the failure is closed again.
 *
 * @since 0.1
 */
public final class ShopStartException extends RuntimeException {
    /** A failure described by {@code message} (made one line), caused by {@code cause} (may be null). */
    public ShopStartException(String message, Throwable cause) {
        super(message.replaceAll("\\s*\\R\\s*", " ").strip(), cause);
    }
}
