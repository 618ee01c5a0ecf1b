// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free and bindable ports on 127.0.0.1. */
final class Ports {
    private Ports() {
    }

    /** A port nobody listens on right now (another process may take it before the broker does: rare, and loud). */
    static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(BrokerSettings.HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free port on " + BrokerSettings.HOST, e);
        }
    }

    /** Whether a listening socket can be bound to {@code port} now (the broker binds with SO_REUSEADDR too). */
    static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(BrokerSettings.HOST), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
