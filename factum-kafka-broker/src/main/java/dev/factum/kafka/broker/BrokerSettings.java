// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka.broker;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** The broker configuration KafkaBroker starts with: one node that is broker and controller, on 127.0.0.1. */
final class BrokerSettings {
    static final String HOST = "127.0.0.1";
    static final int NODE_ID = 1;

    private BrokerSettings() {
    }

    /** {@code logDir} holds the partitions and the KRaft metadata log. */
    static Properties of(int port, int controllerPort, Path logDir, Map<String, String> overrides) {
        Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", Integer.toString(NODE_ID));
        props.setProperty("controller.listener.names", "CONTROLLER");
        props.setProperty("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
        props.setProperty("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        props.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        props.setProperty("inter.broker.listener.name", "PLAINTEXT");
        props.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        props.setProperty("log.dirs", logDir.toAbsolutePath().toString());
        // Internal topics default to replication factor 3 and min.isr 2: on one node their creation fails and
        // consumer groups and transactions silently get nothing. One replica, one partition each.
        props.setProperty("offsets.topic.replication.factor", "1");
        props.setProperty("offsets.topic.num.partitions", "1");
        props.setProperty("transaction.state.log.replication.factor", "1");
        props.setProperty("transaction.state.log.min.isr", "1");
        props.setProperty("transaction.state.log.num.partitions", "1");
        props.setProperty("share.coordinator.state.topic.replication.factor", "1");
        props.setProperty("share.coordinator.state.topic.min.isr", "1");
        // no waiting for more members before the first rebalance: a test's single consumer starts at once
        props.setProperty("group.initial.rebalance.delay.ms", "0");
        props.setProperty("num.partitions", "1");
        // the log cleaner allocates this buffer up front (128 MiB by default); compaction still works with 8 MiB
        props.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        props.putAll(overrides);
        return props;
    }
}
