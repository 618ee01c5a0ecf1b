// SPDX-License-Identifier: Apache-2.0
package dev.factum.rabbitmq;

import dev.factum.FactumException;
import dev.factum.retry.InMemoryDeadLetterStore;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RabbitMqConfigTest {

    @Test
    void defaults() {
        RabbitMqConfig config = RabbitMqConfig.of("amqp://guest:guest@127.0.0.1:5672/");
        assertThat(config.prefix()).isEqualTo("factum");
        assertThat(config.confirmTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.address()).isEqualTo("127.0.0.1:5672");
        assertThat(RabbitMqConfig.of("amqp://rabbit").address()).isEqualTo("rabbit:5672");
    }

    @Test
    void the_password_never_appears_in_toString() {
        assertThat(RabbitMqConfig.of("amqp://app:s3cret@rabbit:5672/prod").toString())
                .contains("amqp://app:***@rabbit:5672/prod").doesNotContain("s3cret");
    }

    @Test
    void bad_settings_are_refused_naming_the_problem() {
        assertThatThrownBy(() -> RabbitMqConfig.of("http://rabbit")).hasMessageContaining("must start with amqp://");
        assertThatThrownBy(() -> RabbitMqConfig.of("amqp:///vhost")).hasMessageContaining("names no host");
        assertThatThrownBy(() -> RabbitMqConfig.of("amqp:// bad")).hasMessageContaining("is not a URI");
        RabbitMqConfig config = RabbitMqConfig.of("amqp://rabbit");
        assertThatThrownBy(() -> config.withPrefix("my:prefix")).hasMessageContaining("prefix 'my:prefix' must be");
        assertThatThrownBy(() -> config.withConfirmTimeout(Duration.ZERO)).hasMessageContaining("confirmTimeout must be positive");
        assertThatThrownBy(() -> config.withMaxMessageBytes(0)).hasMessageContaining("maxMessageBytes must be >= 1");
    }

    @Test
    void an_unreachable_broker_fails_start_naming_the_address() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RabbitMqConfig config = RabbitMqConfig.of("amqp://guest:guest@127.0.0.1:" + port);
        assertThatThrownBy(() -> RabbitMqTransport.start(config, new InMemoryDeadLetterStore()))
                .isInstanceOf(FactumException.class)
                .hasMessageStartingWith("cannot connect to RabbitMQ at 127.0.0.1:" + port)
                .hasMessageContaining("Connection refused");
    }

    @Test
    void an_unknown_virtual_host_fails_start_naming_it() {
        RabbitMqConfig config = Broker.config("factum-test-vhost").withUri(java.net.URI.create(Broker.URI + "/no-such-vhost"));
        assertThatThrownBy(() -> RabbitMqTransport.start(config, new InMemoryDeadLetterStore()))
                .isInstanceOf(FactumException.class)
                .hasMessageContaining("vhost no-such-vhost not found");
    }

    @Test
    void topology_names_cannot_collide_between_a_consumer_queue_and_a_delay_or_dead_letter_queue() {
        RabbitMqTopology topology = new RabbitMqTopology("factum", 10);
        assertThat(topology.queue("billing")).isEqualTo("factum.billing");
        assertThat(topology.delayQueue("billing", Duration.ofMillis(250))).isEqualTo("factum.billing:retry-250ms");
        assertThat(topology.deadLetterQueue("billing")).isEqualTo("factum.billing:dead-letters");
        assertThat(topology.unroutedQueue()).isEqualTo("factum:unrouted");
    }
}
