// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka.broker;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.factum.kafka.broker.Clients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaBrokerTest {

    @Nested
    class Options {
        @Test
        void settings_that_follow_from_the_ports_and_the_directory_are_refused_with_the_method_to_use() {
            assertThatThrownBy(() -> KafkaBrokerOptions.defaults().withProperty("listeners", "PLAINTEXT://:9092"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'listeners'").hasMessageContaining("withPort");
            assertThatThrownBy(() -> KafkaBrokerOptions.defaults().withProperty("log.dirs", "/tmp/x"))
                    .hasMessageContaining("'log.dirs'");
        }

        @Test
        void ports_must_be_in_range_and_differ() {
            assertThatThrownBy(() -> KafkaBrokerOptions.defaults().withPort(70000))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("port must be between 0 (pick a free port) and 65535, was 70000");
            assertThatThrownBy(() -> KafkaBrokerOptions.defaults().withControllerPort(-1))
                    .hasMessageContaining("controllerPort");
            assertThatThrownBy(() -> KafkaBrokerOptions.defaults().withPort(9092).withControllerPort(9092))
                    .hasMessage("port and controllerPort must differ, both were 9092");
        }

        @Test
        void other_settings_are_kept_and_the_caller_map_is_copied() {
            KafkaBrokerOptions options = KafkaBrokerOptions.defaults().withProperty("num.partitions", "3");
            KafkaBrokerOptions more = options.withProperty("auto.create.topics.enable", "false");
            assertThat(options.properties()).containsExactlyEntriesOf(java.util.Map.of("num.partitions", "3"));
            assertThat(more.properties()).containsEntry("num.partitions", "3")
                    .containsEntry("auto.create.topics.enable", "false");
        }
    }

    @Test
    void a_temporary_broker_deletes_its_data_when_closed_and_cannot_start_again() {
        KafkaBroker broker = KafkaBroker.startTemporary();
        Path dir = broker.dataDir();
        assertThat(dir.resolve("logs/meta.properties")).exists();
        assertThatThrownBy(broker::start).isInstanceOf(IllegalStateException.class)
                .hasMessage("the broker is running already on " + broker.bootstrapServers());

        broker.close();
        broker.close();

        assertThat(broker.isRunning()).isFalse();
        assertThat(dir).doesNotExist();
        assertThatThrownBy(broker::start).isInstanceOf(IllegalStateException.class)
                .hasMessage("this broker was closed; create a new one");
    }

    @Test
    void a_given_data_directory_is_kept_and_a_new_broker_on_it_finds_the_topics_even_on_other_ports(
            @TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("kafka");
        try (KafkaBroker first = KafkaBroker.create(KafkaBrokerOptions.defaults().withDataDir(dataDir)).start();
             Admin admin = Clients.admin(first.bootstrapServers())) {
            admin.createTopics(java.util.List.of(new org.apache.kafka.clients.admin.NewTopic("kept", 1, (short) 1)))
                    .all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        assertThat(dataDir.resolve("logs/meta.properties")).exists();

        try (KafkaBroker second = KafkaBroker.create(KafkaBrokerOptions.defaults().withDataDir(dataDir)).start();
             Admin admin = Clients.admin(second.bootstrapServers())) {
            assertThat(admin.listTopics().names().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).contains("kept");
        }
        assertThat(dataDir).exists();
    }

    @Test
    void a_taken_port_is_reported_by_number_without_formatting_anything() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             KafkaBroker broker = KafkaBroker.create(KafkaBrokerOptions.defaults().withPort(taken.getLocalPort()))) {
            assertThatThrownBy(broker::start).isInstanceOf(KafkaBrokerException.class)
                    .hasMessage("the broker's port " + taken.getLocalPort() + " on 127.0.0.1 is taken by another process");
            assertThat(broker.isRunning()).isFalse();
            assertThat(Files.exists(broker.dataDir().resolve("logs"))).isFalse();
        }
    }

    @Test
    void kafkas_loggers_are_quiet_unless_the_run_chose_a_level() {
        KafkaBroker.create(KafkaBrokerOptions.defaults()).close();

        assertThat(System.getProperty("org.slf4j.simpleLogger.log.kafka")).isEqualTo("warn");
        assertThat(System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka")).isEqualTo("warn");
        String key = "org.slf4j.simpleLogger.log.state.change.logger";
        String before = System.getProperty(key);
        try {
            System.setProperty(key, "info");
            BrokerLogging.quietUnlessConfigured();
            assertThat(System.getProperty(key)).isEqualTo("info");
        } finally {
            System.setProperty(key, before);
        }
    }
}
