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
import dev.factum.transport.Binding;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.ConsumerStatus;
import dev.factum.transport.InProcessTransport;
import dev.factum.transport.MessageConsumer;
import dev.factum.transport.MessageHandler;
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
 * The shop's messaging, assembled for one {@link ShopTransport}: the contexts talk only through it. The Order
 * context's events reach the notification context (through its inbox); the order saga's requests reach the
 * inventory, payment and shipping participants, and their replies come back to the saga's engine — each a consumer
 * on the transport ({@link Endpoint}).
 * <ul>
 *   <li><b>in-process</b> (default): the consumers follow the event store itself from their checkpoints; no relay is
 *       needed because nothing leaves the process.</li>
 *   <li><b>rabbitmq</b>, <b>kafka</b>: the relay {@value #RELAY} publishes every event of the categories the consumers
 *       bind ({@code Order}, {@code InventoryRequest}, {@code PaymentRequest}, {@code ShippingRequest},
 *       {@code OrderSagaReply}), confirmed, under a lease in the store's database; each consumer reads its queue or
 *       consumer group. For Kafka the topics ({@code <prefix>.<category>}, {@code <prefix>.<consumer>-dlt}) are
 *       created at start-up if missing.</li>
 * </ul>
 * Dead letters of every hop go to the store's dead-letter table and are operated through {@code /dead-letters};
 * {@code GET /messaging} shows the transport, the relay and the consumers. The inbox is pruned hourly by its
 * retention. Replays requested from another process ({@code factum dead-letters replay}) run here within a second.
 */
final class ShopMessaging implements AutoCloseable {
    static final String RELAY = "shop-orders";
    private static final Logger log = LoggerFactory.getLogger(ShopMessaging.class);

    /** A consumer on the transport: its options (name, bindings) and its handler. */
    record Endpoint(ConsumerOptions options, MessageHandler handler) {}

    private final Transport transport;
    private final Optional<Relay> relay;
    private final List<MessageConsumer> consumers;
    private final DeadLetters deadLetters;
    private final NotificationLog notificationLog;
    private final Thread inboxPruner;
    private final Clock clock;
    private final AutoCloseable replayer;

    private ShopMessaging(Transport transport, Optional<Relay> relay, List<MessageConsumer> consumers,
                          DeadLetters deadLetters, NotificationLog notificationLog, Thread inboxPruner, Clock clock,
                          AutoCloseable replayer) {
        this.replayer = replayer;
        this.transport = transport;
        this.relay = relay;
        this.consumers = List.copyOf(consumers);
        this.deadLetters = deadLetters;
        this.notificationLog = notificationLog;
        this.inboxPruner = inboxPruner;
        this.clock = clock;
    }

    /**
     * Starts the transport, the relay (for a broker), the notification consumer and the consumers of {@code endpoints};
     * on failure closes what it opened.
     *
     * @throws ShopStartException if the broker cannot be reached
     */
    static ShopMessaging start(ShopOptions options, EventStore store, CheckpointStore checkpoints, Inbox inbox,
                               DeadLetterStore deadLetterStore, LeaseStore leases, NotificationLog notificationLog,
                               List<Endpoint> endpoints) {
        Clock clock = Clock.systemUTC();
        List<Endpoint> all = new ArrayList<>();
        all.add(new Endpoint(NotificationConsumer.options(), new NotificationConsumer(inbox, notificationLog, clock)));
        all.addAll(endpoints);
        Transport transport = transport(options, store, checkpoints, deadLetterStore, all);
        List<AutoCloseable> opened = new ArrayList<>(List.of(transport));
        try {
            DeadLetters deadLetters = new DeadLetters(deadLetterStore, clock);
            Optional<Relay> relay = Optional.empty();
            List<String> bindings = all.stream().flatMap(e -> e.options().bindings().stream().map(Binding::pattern))
                    .map(b -> categoryOf(b) + ".*").distinct().toList();
            if (options.transport() != ShopTransport.IN_PROCESS) {
                Relay started = Relay.builder(RELAY, store, checkpoints, transport).bindings(bindings.toArray(String[]::new))
                        .lease(leases, Duration.ofSeconds(30)).deadLetters(deadLetterStore).build().start();
                opened.add(started);
                started.registerReplay(deadLetters);
                relay = Optional.of(started);
            }
            notificationLog.createTable();
            List<MessageConsumer> consumers = new ArrayList<>();
            for (Endpoint endpoint : all) {
                MessageConsumer consumer = transport.consume(endpoint.options(), endpoint.handler());
                opened.add(consumer);
                consumers.add(consumer);
                deadLetters.register(consumer);
            }
            log.info("messaging: {}{}; consumers {}", transport.name(),
                    relay.map(r -> ", relay " + r.name() + " publishing " + bindings).orElse(" (consumers read the store)"),
                    consumers.stream().map(MessageConsumer::name).toList());
            // replays requested from elsewhere (factum dead-letters replay) run here, where the consumers run
            opened.add(deadLetters.startReplayer(Duration.ofSeconds(1)));
            Thread pruner = Thread.ofVirtual().name("shop-inbox-pruner").start(() -> pruneHourly(inbox));
            return new ShopMessaging(transport, relay, consumers, deadLetters, notificationLog, pruner, clock,
                    opened.getLast());
        } catch (RuntimeException | Error e) {
            ShopMain.closeAll(opened);
            throw e;
        }
    }

    /** The category a binding names: {@code Order} of {@code Order.*} or {@code Order.OrderSubmitted}. */
    private static String categoryOf(String binding) {
        int dot = binding.indexOf('.');
        return dot < 0 ? binding : binding.substring(0, dot);
    }

    private static Transport transport(ShopOptions options, EventStore store, CheckpointStore checkpoints,
                                       DeadLetterStore deadLetters, List<Endpoint> endpoints) {
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
                List<String> categories = endpoints.stream().flatMap(e -> e.options().bindings().stream().map(Binding::pattern))
                        .map(ShopMessaging::categoryOf).distinct().toList();
                List<String> names = endpoints.stream().map(e -> e.options().name()).toList();
                try { // the admin step: a topic per category and a dead-letter topic per consumer, idempotent
                    KafkaTopics.create(config, categories, names);
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
            List<Map<String, Object>> list = new ArrayList<>();
            for (MessageConsumer each : consumers) {
                ConsumerStatus consumer = each.status();
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("name", consumer.name());
                json.put("running", consumer.running());
                json.put("handled", consumer.handled());
                json.put("retried", consumer.retried());
                json.put("deadLettered", consumer.deadLettered());
                consumer.lastError().ifPresent(e -> json.put("lastError", e));
                list.add(json);
            }
            body.put("consumers", list);
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
        parts.addAll(consumers);
        parts.add(replayer);
        ShopMain.closeAll(parts);
    }
}
