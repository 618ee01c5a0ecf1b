// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.inbox.Inbox;
import dev.factum.kafka.KafkaConfig;
import dev.factum.kafka.KafkaTopics;
import dev.factum.kafka.KafkaTransport;
import dev.factum.rabbitmq.RabbitMqConfig;
import dev.factum.rabbitmq.RabbitMqTransport;
import dev.factum.relay.LeaseStore;
import dev.factum.relay.Relay;
import dev.factum.retry.DeadLetterStore;
import dev.factum.retry.DeadLetters;
import dev.factum.shop.admin.DeadLetterRoutes;
import dev.factum.shop.http.RouteSet;
import dev.factum.shop.notification.app.NotificationConsumer;
import dev.factum.shop.notification.http.NotificationRoutes;
import dev.factum.shop.notification.view.NotificationLog;
import dev.factum.store.EventStore;
import dev.factum.subscription.CheckpointStore;
import dev.factum.transport.ConsumerStatus;
import dev.factum.transport.InProcessTransport;
import dev.factum.transport.MessageConsumer;
import dev.factum.transport.Transport;
import io.javalin.config.RoutesConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shop's messaging, assembled for one {@link ShopTransport}: the Order context's events leave as integration
 * messages and the notification context consumes them through its inbox.
 * <ul>
 *   <li><b>in-process</b> (default): the consumer follows the event store itself from its checkpoint; no relay is
 *       needed because nothing leaves the process.</li>
 *   <li><b>rabbitmq</b>, <b>kafka</b>: the relay {@value #RELAY} publishes every {@code Order.*} event, confirmed,
 *       under a lease in the store's database; the consumer reads its queue or consumer group. For Kafka the topics
 *       ({@code <prefix>.Order}, {@code <prefix>.notification-dlt}) are created at start-up if missing.</li>
 * </ul>
 * Dead letters of every hop go to the store's dead-letter table and are operated through {@code /dead-letters};
 * {@code GET /messaging} shows the transport, the relay and the consumers. The inbox is pruned hourly by its
 * retention. Replays requested from another process ({@code factum dead-letters replay}) run here within a second.
 */
final class ShopMessaging implements AutoCloseable {
    static final String RELAY = "shop-orders";
    private static final Logger log = LoggerFactory.getLogger(ShopMessaging.class);

    private final Transport transport;
    private final Optional<Relay> relay;
    private final MessageConsumer notifications;
    private final DeadLetters deadLetters;
    private final NotificationLog notificationLog;
    private final Thread inboxPruner;
    private final Clock clock;
    private final AutoCloseable replayer;

    private ShopMessaging(Transport transport, Optional<Relay> relay, MessageConsumer notifications,
                          DeadLetters deadLetters, NotificationLog notificationLog, Thread inboxPruner, Clock clock,
                          AutoCloseable replayer) {
        this.replayer = replayer;
        this.transport = transport;
        this.relay = relay;
        this.notifications = notifications;
        this.deadLetters = deadLetters;
        this.notificationLog = notificationLog;
        this.inboxPruner = inboxPruner;
        this.clock = clock;
    }

    /**
     * Starts the transport, the relay (for a broker) and the notification consumer; on failure closes what it opened.
     *
     * @throws ShopStartException if the broker cannot be reached
     */
    static ShopMessaging start(ShopOptions options, EventStore store, CheckpointStore checkpoints, Inbox inbox,
                               DeadLetterStore deadLetterStore, LeaseStore leases, NotificationLog notificationLog) {
        Clock clock = Clock.systemUTC();
        Transport transport = transport(options, store, checkpoints, deadLetterStore);
        List<AutoCloseable> opened = new ArrayList<>(List.of(transport));
        try {
            DeadLetters deadLetters = new DeadLetters(deadLetterStore, clock);
            Optional<Relay> relay = Optional.empty();
            if (options.transport() != ShopTransport.IN_PROCESS) {
                Relay started = Relay.builder(RELAY, store, checkpoints, transport).bindings("Order.*")
                        .lease(leases, Duration.ofSeconds(30)).deadLetters(deadLetterStore).build().start();
                opened.add(started);
                started.registerReplay(deadLetters);
                relay = Optional.of(started);
            }
            notificationLog.createTable();
            MessageConsumer consumer = transport.consume(NotificationConsumer.options(),
                    new NotificationConsumer(inbox, notificationLog, clock));
            opened.add(consumer);
            deadLetters.register(consumer);
            log.info("messaging: {}{}; consumer {} bound to {}", transport.name(),
                    relay.map(r -> ", relay " + r.name() + " publishing Order.*").orElse(" (consumers read the store)"),
                    consumer.name(), NotificationConsumer.options().bindings());
            // replays requested from elsewhere (factum dead-letters replay) run here, where the consumers run
            opened.add(deadLetters.startReplayer(Duration.ofSeconds(1)));
            Thread pruner = Thread.ofVirtual().name("shop-inbox-pruner").start(() -> pruneHourly(inbox));
            return new ShopMessaging(transport, relay, consumer, deadLetters, notificationLog, pruner, clock,
                    opened.getLast());
        } catch (RuntimeException | Error e) {
            ShopMain.closeAll(opened);
            throw e;
        }
    }

    private static Transport transport(ShopOptions options, EventStore store, CheckpointStore checkpoints,
                                       DeadLetterStore deadLetters) {
        return switch (options.transport()) {
            case IN_PROCESS -> new InProcessTransport(store, checkpoints, deadLetters);
            case RABBITMQ -> {
                try {
                    yield RabbitMqTransport.start(
                            RabbitMqConfig.of(options.rabbitmq()).withPrefix(options.brokerPrefix()), deadLetters);
                } catch (RuntimeException e) {
                    throw new ShopStartException("cannot connect to RabbitMQ at " + redacted(options.rabbitmq()) + ": "
                            + e.getMessage(), e);
                }
            }
            case KAFKA -> {
                KafkaConfig config = KafkaConfig.of(options.kafka()).withTopicPrefix(options.brokerPrefix() + ".")
                        .withDeliveryTimeout(Duration.ofSeconds(15));
                try { // the admin step: the Order topic and the consumer's dead-letter topic, idempotent
                    KafkaTopics.create(config, List.of("Order"), List.of(NotificationConsumer.NAME));
                } catch (RuntimeException e) {
                    throw new ShopStartException("cannot reach Kafka at " + options.kafka() + ": " + e.getMessage(), e);
                }
                yield KafkaTransport.start(config, deadLetters);
            }
        };
    }

    /** An AMQP URI without its password. */
    static String redacted(String uri) {
        return uri.replaceAll("//([^:/@]+):[^@/]*@", "//$1:***@");
    }

    private static void pruneHourly(Inbox inbox) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                int pruned = inbox.pruneExpired();
                if (pruned > 0) log.info("inbox: pruned {} entries past their retention", pruned);
                Thread.sleep(Duration.ofHours(1));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("inbox: pruning failed, trying again in an hour: {}", e.getMessage());
                try {
                    Thread.sleep(Duration.ofHours(1));
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** {@code /notifications}, {@code /dead-letters…} and {@code GET /messaging}. */
    List<RouteSet> routes() {
        return List.of(new NotificationRoutes(notificationLog), new DeadLetterRoutes(deadLetters, clock),
                this::registerStatus);
    }

    private void registerStatus(RoutesConfig routes, ObjectMapper mapper) {
        routes.get("/messaging", ctx -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("transport", transport.name());
            relay.ifPresent(r -> {
                var status = r.status();
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("name", status.name());
                json.put("running", status.running());
                json.put("leaseHolder", status.leaseHolder());
                json.put("checkpoint", status.checkpoint());
                json.put("head", status.head());
                json.put("lag", status.lag());
                json.put("published", status.published());
                json.put("deadLettered", status.deadLettered());
                status.lastError().ifPresent(e -> json.put("lastError", e));
                body.put("relay", json);
            });
            ConsumerStatus consumer = notifications.status();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", consumer.name());
            json.put("running", consumer.running());
            json.put("handled", consumer.handled());
            json.put("retried", consumer.retried());
            json.put("deadLettered", consumer.deadLettered());
            consumer.lastError().ifPresent(e -> json.put("lastError", e));
            body.put("consumers", List.of(json));
            ctx.contentType("application/json").result(mapper.writeValueAsString(body));
        });
    }

    DeadLetters deadLetters() {
        return deadLetters;
    }

    @Override
    public void close() {
        inboxPruner.interrupt();
        List<AutoCloseable> parts = new ArrayList<>();
        parts.add(transport);
        relay.ifPresent(parts::add);
        parts.add(notifications);
        parts.add(replayer);
        ShopMain.closeAll(parts);
    }
}
