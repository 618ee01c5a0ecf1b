// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.rabbitmq.RabbitMqConfig;
import dev.factum.rabbitmq.RabbitMqTopology;
import dev.factum.shop.inventory.app.InventoryRequests;
import dev.factum.shop.notification.app.NotificationConsumer;
import dev.factum.shop.order.saga.OrderSaga;
import dev.factum.shop.payment.app.PaymentRequests;
import dev.factum.shop.shipping.app.ShippingRequests;
import dev.factum.transport.ConsumerOptions;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import dev.factum.kafka.broker.KafkaBrokerExtension;
import dev.factum.kafka.broker.KafkaEndpoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shop as {@link ShopMain} starts it, over SQLite, with each transport the shop can select: order events reach
 * the notification context (through the relay and the real RabbitMQ or a real Kafka broker), once each; an order
 * event the notification context cannot use becomes a dead letter that the admin API lists, shows, fails to replay
 * while it is still bad, and discards.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@ExtendWith(KafkaBrokerExtension.class)
class ShopMessagingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final String kafka;

    /** {@code kafka}: the test JVM's shared real broker (started on first use), for {@link ShopTransport#KAFKA}. */
    ShopMessagingTest(KafkaEndpoint kafka) {
        this.kafka = kafka.bootstrapServers();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
    }

    private RunningShop start(ShopTransport transport, String... more) {
        String prefix = "shop-test-" + UUID.randomUUID().toString().substring(0, 8);
        if (transport == ShopTransport.RABBITMQ) cleanup.add(() -> deleteRabbitTopology(prefix));
        List<String> args = new ArrayList<>(List.of("--port=0", "--data-dir=" + dir, "--transport=" + transport.flag(),
                "--broker-prefix=" + prefix, "--kafka=" + kafka));
        args.addAll(List.of(more));
        RunningShop shop = ShopMain.start(args.toArray(String[]::new), Map.of());
        cleanup.add(shop);
        return shop;
    }

    private static void deleteRabbitTopology(String prefix) throws Exception {
        RabbitMqConfig config = RabbitMqConfig.of(ShopOptions.DEFAULT_RABBITMQ).withPrefix(prefix);
        RabbitMqTopology topology = RabbitMqTopology.of(config);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(ShopOptions.DEFAULT_RABBITMQ);
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            for (ConsumerOptions consumer : List.of(NotificationConsumer.options(), InventoryRequests.consumer(),
                    PaymentRequests.consumer(), ShippingRequests.consumer(), OrderSaga.replyConsumer())) {
                for (String queue : topology.consumerQueues(consumer)) channel.queueDelete(queue);
            }
            channel.queueDelete(topology.unroutedQueue());
            for (String exchange : topology.exchanges()) channel.exchangeDelete(exchange);
        }
    }

    private HttpResponse<String> call(RunningShop shop, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(shop.uri().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(RunningShop shop, String method, String path, String body) throws Exception {
        return JSON.readTree(call(shop, method, path, body).body());
    }

    @ParameterizedTest
    @EnumSource(value = ShopTransport.class, names = {"IN_PROCESS", "RABBITMQ", "KAFKA"})
    void order_events_reach_the_notification_context_once_each(ShopTransport transport) throws Exception {
        RunningShop shop = start(transport);
        call(shop, "PUT", "/stock/SKU-1", "{\"available\": 10}");
        String location = call(shop, "POST", "/orders", """
                {"customerId":"c-1","currency":"EUR","items":[{"sku":"SKU-1","quantity":2,"unitPrice":"19.99"}]}""")
                .headers().firstValue("Location").orElseThrow();
        String id = location.substring("/orders/".length());
        call(shop, "POST", location + "/submit", null); // the order saga reserves, charges, ships and confirms it

        await().atMost(Duration.ofSeconds(20)).until(() ->
                json(shop, "GET", "/notifications?orderId=" + id, null).get("notifications").size() == 2);
        JsonNode notifications = json(shop, "GET", "/notifications?orderId=" + id, null).get("notifications");
        assertThat(notifications.get(0).get("kind").asText()).isEqualTo("ORDER_RECEIVED");
        assertThat(notifications.get(1).get("kind").asText()).isEqualTo("ORDER_CONFIRMED");
        assertThat(notifications.get(1).get("text").asText()).matches("Your order " + id
                + " is confirmed: paid, and ready to ship with tracking number TRK-[0-9A-F]{16}\\.");

        JsonNode messaging = json(shop, "GET", "/messaging", null);
        assertThat(messaging.get("transport").asText()).isEqualTo(transport.flag());
        // the saga reached each participant through the transport, and their replies came back through it
        assertThat(handled(messaging)).containsExactlyInAnyOrderEntriesOf(Map.of(NotificationConsumer.NAME, 2L,
                InventoryRequests.CONSUMER, 1L, PaymentRequests.CONSUMER, 1L, ShippingRequests.CONSUMER, 1L,
                OrderSaga.REPLY_CONSUMER, 3L));
        if (transport != ShopTransport.IN_PROCESS) {
            await().atMost(Duration.ofSeconds(10)).until(() -> json(shop, "GET", "/messaging", null).get("relay").get("lag").asLong() == 0);
            // 3 order events (created, submitted, confirmed), 3 requests, 3 replies
            assertThat(json(shop, "GET", "/messaging", null).get("relay").get("published").asLong()).isEqualTo(9);
        } else {
            assertThat(messaging.has("relay")).as("no relay in-process").isFalse();
        }
    }

    /** Handled messages by consumer name, from {@code GET /messaging}. */
    private static Map<String, Long> handled(JsonNode messaging) {
        Map<String, Long> handled = new java.util.LinkedHashMap<>();
        messaging.get("consumers").forEach(c -> handled.put(c.get("name").asText(), c.get("handled").asLong()));
        return handled;
    }

    @ParameterizedTest
    @EnumSource(value = ShopTransport.class, names = {"IN_PROCESS", "RABBITMQ", "KAFKA"})
    void a_declined_payment_and_a_missing_stock_compensate_through_the_transport(ShopTransport transport) throws Exception {
        RunningShop shop = start(transport, "--payment-decline-rate=1"); // every charge is declined
        call(shop, "PUT", "/stock/SKU-1", "{\"available\": 10}");
        String declined = order(shop, "SKU-1", 3);
        String missing = order(shop, "SKU-NONE", 1);

        await().atMost(Duration.ofSeconds(30)).until(() ->
                json(shop, "GET", "/orders/" + declined, null).get("status").asText().equals("REJECTED")
                        && json(shop, "GET", "/orders/" + missing, null).get("status").asText().equals("REJECTED"));
        JsonNode declinedSaga = json(shop, "GET", "/sagas/" + declined, null);
        assertThat(declinedSaga.get("status").asText()).isEqualTo("COMPENSATED");
        assertThat(declinedSaga.get("failure").asText()).isEqualTo("PAYMENT_DECLINED");
        assertThat(json(shop, "GET", "/sagas/" + missing, null).get("failure").asText()).isEqualTo("OUT_OF_STOCK");
        // the reservation was released by the inventory participant, on request over the transport
        JsonNode stock = json(shop, "GET", "/stock/SKU-1", null);
        assertThat(stock.get("available").asInt()).isEqualTo(10);
        assertThat(stock.get("reserved").asInt()).isZero();
        assertThat(handled(json(shop, "GET", "/messaging", null)).get(InventoryRequests.CONSUMER)).isEqualTo(3); // 2 reserves, 1 release
    }

    @ParameterizedTest
    @EnumSource(value = ShopTransport.class, names = {"RABBITMQ", "KAFKA"}) // in-process: OrderSagaHttpTest
    void fifty_concurrent_orders_for_ten_units_confirm_exactly_ten_over_a_broker(ShopTransport transport) throws Exception {
        RunningShop shop = start(transport);
        call(shop, "PUT", "/stock/SKU-HOT", "{\"available\": 10}");
        List<String> ids = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(16)) {
            List<java.util.concurrent.Future<String>> submitted = new ArrayList<>();
            for (int i = 0; i < 50; i++) submitted.add(pool.submit(() -> order(shop, "SKU-HOT", 1)));
            for (var f : submitted) ids.add(f.get());
        }
        Map<String, Integer> outcomes = new java.util.TreeMap<>();
        for (String id : ids) {
            String status = await().atMost(Duration.ofSeconds(60)).until(() ->
                    json(shop, "GET", "/orders/" + id, null).get("status").asText(), s -> !s.equals("SUBMITTED"));
            String outcome = status.equals("REJECTED") ? "REJECTED " + json(shop, "GET", "/sagas/" + id, null)
                    .get("failure").asText() : status;
            outcomes.merge(outcome, 1, Integer::sum);
        }
        assertThat(outcomes).isEqualTo(Map.of("CONFIRMED", 10, "REJECTED OUT_OF_STOCK", 40));
        assertThat(json(shop, "GET", "/stock/SKU-HOT", null).toString())
                .isEqualTo("{\"sku\":\"SKU-HOT\",\"available\":0,\"reserved\":10}");
        shop.close();
        try (SqliteEventStore store = SqliteEventStore.open(SqliteConfig.of(dir.resolve("shop.db")))) {
            var state = dev.factum.shop.inventory.domain.StockState.NONE; // never negative at any stored version
            var stocks = dev.factum.shop.inventory.domain.Stocks.AGGREGATE;
            for (var recorded : store.readStream(StreamId.of("Stock", "SKU-HOT"), dev.factum.store.ReadStreamOptions.forward())) {
                state = stocks.evolve(state, stocks.codec().decode(recorded, stocks.eventType()));
                assertThat(state.available()).as("available after version %d", recorded.version()).isNotNegative();
            }
            assertThat(state.reservations()).hasSize(10);
        }
    }

    /** Creates and submits an order of {@code quantity} × {@code sku}; returns its id. */
    private String order(RunningShop shop, String sku, int quantity) throws Exception {
        String location = call(shop, "POST", "/orders", """
                {"customerId":"c-1","currency":"EUR","items":[{"sku":"%s","quantity":%d,"unitPrice":"5.00"}]}"""
                .formatted(sku, quantity)).headers().firstValue("Location").orElseThrow();
        call(shop, "POST", location + "/submit", null);
        return location.substring("/orders/".length());
    }

    @ParameterizedTest
    @EnumSource(value = ShopTransport.class, names = {"IN_PROCESS", "RABBITMQ", "KAFKA"})
    void an_event_the_consumer_cannot_use_is_a_dead_letter_operated_over_http(ShopTransport transport) throws Exception {
        RunningShop shop = start(transport);
        try (SqliteEventStore writer = SqliteEventStore.open(SqliteConfig.of(dir.resolve("shop.db")))) {
            writer.append(StreamId.parse("Order-bad-1"), ExpectedVersion.any(),
                    List.of(new NewEvent("OrderShipped", "{\"carrier\":\"DHL\"}", Metadata.create()))); // no tracking number
        }

        await().atMost(Duration.ofSeconds(30)).until(() ->
                json(shop, "GET", "/dead-letters?consumer=notification", null).get("deadLetters").size() == 1);
        JsonNode listed = json(shop, "GET", "/dead-letters?consumer=notification&type=OrderShipped", null)
                .get("deadLetters").get(0);
        assertThat(listed.get("state").asText()).isEqualTo("PARKED");
        String letter = "/dead-letters/" + listed.get("id").asText();

        JsonNode shown = json(shop, "GET", letter, null);
        assertThat(shown.get("reason").asText()).contains("has no trackingNumber");
        assertThat(shown.get("headers").get("factum-stream").asText()).isEqualTo("Order-bad-1");
        assertThat(shown.get("body").asText()).isEqualTo("{\"carrier\":\"DHL\"}");
        assertThat(shown.get("attempts").size()).isGreaterThanOrEqualTo(1);

        HttpResponse<String> replay = call(shop, "POST", letter + "/replay", null);
        assertThat(replay.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(replay.body()).get("type").asText()).isEqualTo("/problems/replay-failed");
        assertThat(json(shop, "GET", letter, null).get("state").asText()).isEqualTo("PARKED");

        // a replay requested from another process (as `factum dead-letters replay` does) runs in the shop
        int attempts = json(shop, "GET", letter, null).get("attempts").size();
        try (SqliteEventStore operator = SqliteEventStore.open(SqliteConfig.of(dir.resolve("shop.db")))) {
            operator.deadLetterStore().requestReplay(UUID.fromString(listed.get("id").asText()), java.time.Instant.now());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> json(shop, "GET", letter, null).get("attempts").size() == attempts + 1);
        assertThat(json(shop, "GET", letter, null).get("state").asText()).as("still bad: parked again").isEqualTo("PARKED");

        assertThat(call(shop, "POST", letter + "/discard", "{}").statusCode()).isEqualTo(400);
        HttpResponse<String> discarded = call(shop, "POST", letter + "/discard", "{\"reason\":\"test event\"}");
        assertThat(discarded.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(discarded.body()).get("state").asText()).isEqualTo("DISCARDED");
        assertThat(call(shop, "POST", letter + "/discard", "{\"reason\":\"again\"}").statusCode()).isEqualTo(409);
        assertThat(call(shop, "GET", "/dead-letters/" + UUID.randomUUID(), null).statusCode()).isEqualTo(404);
        assertThat(call(shop, "GET", "/dead-letters/not-a-uuid", null).statusCode()).isEqualTo(400);
        assertThat(call(shop, "GET", "/dead-letters?state=LOST", null).statusCode()).isEqualTo(400);
    }
}
