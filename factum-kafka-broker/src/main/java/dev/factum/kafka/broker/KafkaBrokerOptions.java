// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka.broker;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where and how a {@link KafkaBroker} runs. Copy-on-set:
 * {@code KafkaBrokerOptions.defaults().withPort(9092).withDataDir(Path.of("data/kafka"))}.
 *
 * <p>The listeners, the quorum, the node id and the log directory are the broker's own business (they follow from the
 * ports and the data directory), so {@link #withProperty} refuses those keys; every other broker setting may be
 * overridden, for example {@code auto.create.topics.enable=false}.
 *
 * @param port           the client (PLAINTEXT) port on 127.0.0.1; 0 picks a free one at the first start
 * @param controllerPort the KRaft controller port on 127.0.0.1; 0 picks a free one at the first start
 * @param dataDir        where the broker keeps its logs and metadata; empty means a new temporary directory that
 *                       {@link KafkaBroker#close()} deletes. A given directory is never deleted.
 * @param properties     broker settings laid over {@link KafkaBroker}'s single-node defaults
 * @since 0.1
 */
public record KafkaBrokerOptions(int port, int controllerPort, Optional<Path> dataDir, Map<String, String> properties) {

    /** Settings derived from the ports and the data directory: overriding one would break the broker. */
    static final Set<String> MANAGED_KEYS = Set.of(
            "process.roles", "node.id", "listeners", "advertised.listeners", "controller.listener.names",
            "inter.broker.listener.name", "listener.security.protocol.map", "controller.quorum.bootstrap.servers",
            "controller.quorum.voters", "log.dirs", "log.dir", "metadata.log.dir");

    public KafkaBrokerOptions {
        checkPort("port", port);
        checkPort("controllerPort", controllerPort);
        if (port != 0 && port == controllerPort) {
            throw new IllegalArgumentException("port and controllerPort must differ, both were " + port);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(properties, "properties");
        properties.forEach((key, value) -> {
            Objects.requireNonNull(key, "property name");
            Objects.requireNonNull(value, () -> "value of property " + key);
            if (MANAGED_KEYS.contains(key)) {
                throw new IllegalArgumentException("property '" + key + "' is set by KafkaBroker from the ports and "
                        + "the data directory; use withPort, withControllerPort or withDataDir instead");
            }
        });
        properties = Map.copyOf(properties);
    }

    /** Free ports picked at the first start, a temporary data directory, no extra settings. */
    public static KafkaBrokerOptions defaults() {
        return new KafkaBrokerOptions(0, 0, Optional.empty(), Map.of());
    }

    public KafkaBrokerOptions withPort(int newPort) {
        return new KafkaBrokerOptions(newPort, controllerPort, dataDir, properties);
    }

    public KafkaBrokerOptions withControllerPort(int newControllerPort) {
        return new KafkaBrokerOptions(port, newControllerPort, dataDir, properties);
    }

    /** Keeps the broker's data in {@code dir} (created if missing), which {@link KafkaBroker#close()} leaves alone. */
    public KafkaBrokerOptions withDataDir(Path dir) {
        return new KafkaBrokerOptions(port, controllerPort, Optional.of(dir), properties);
    }

    /** Adds or replaces one broker setting, for example {@code withProperty("num.partitions", "3")}. */
    public KafkaBrokerOptions withProperty(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(properties);
        copy.put(key, value);
        return new KafkaBrokerOptions(port, controllerPort, dataDir, copy);
    }

    private static void checkPort(String name, int value) {
        if (value < 0 || value > 65535) {
            throw new IllegalArgumentException(name + " must be between 0 (pick a free port) and 65535, was " + value);
        }
    }
}
