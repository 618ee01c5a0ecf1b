// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.command.CommandBus;
import dev.factum.query.QueryBus;
import dev.factum.shop.order.app.OrderService;
import dev.factum.shop.order.view.OrderListProjection;
import dev.factum.shop.order.view.OrderQueries;
import dev.factum.shop.order.view.ViewDatabase;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.subscription.Projections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The read endpoints over HTTP, served from the order list projection on SQLite. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderHttpReadSideTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private SqliteEventStore store;
    private Projections projections;
    private ShopServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        Path file = dir.resolve("shop.db");
        store = SqliteEventStore.open(SqliteConfig.of(file));
        ViewDatabase views = ViewDatabase.sqlite(file);
        OrderListProjection list = new OrderListProjection(views);
        projections = Projections.builder(store, store.checkpointStore()).add(list).build();
        QueryBus queries = new OrderQueries(store, projections, list, views).register(QueryBus.builder()).build();
        projections.start();
        OrderService orders = new OrderService(store);
        server = ShopServer.start(orders.register(CommandBus.builder()).build(), orders,
                Optional.of(new OrderReadSide(queries, projections)),
                HttpOptions.defaults().withHost("127.0.0.1").withPort(0));
    }

    @AfterEach
    void stop() {
        server.close();
        projections.close();
        store.close();
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode get(String path, int status) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(server.uri().resolve(path)).GET());
        assertThat(response.statusCode()).isEqualTo(status);
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> post(String path) {
        return send(HttpRequest.newBuilder(server.uri().resolve(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    String create(String customer) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(server.uri().resolve("/orders")).POST(
                HttpRequest.BodyPublishers.ofString("{\"customerId\":\"" + customer + "\",\"currency\":\"EUR\","
                        + "\"items\":[{\"sku\":\"SKU-1\",\"quantity\":2,\"unitPrice\":\"19.99\"}]}")));
        assertThat(response.statusCode()).isEqualTo(201);
        return response.headers().firstValue("Location").orElseThrow().substring("/orders/".length());
    }

    @Nested
    class List_orders {
        @Test
        void shows_a_created_order_once_the_projection_reaches_it_filtered_by_customer() {
            String id = create("c-1");
            create("c-2");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode page = get("/orders?customerId=c-1&status=draft", 200);
                assertThat(page.path("total").asLong()).isEqualTo(1);
                assertThat(page.path("items").get(0).path("id").asText()).isEqualTo(id);
                assertThat(page.path("items").get(0).path("total").asText()).isEqualTo("39.98");
            });
        }

        @Test
        void refuses_an_unknown_status_or_a_size_out_of_bounds() {
            assertThat(get("/orders?status=LOST", 400).path("type").asText()).isEqualTo("/problems/invalid-query");
            assertThat(get("/orders?size=1000", 400).path("type").asText()).isEqualTo("/problems/invalid-query");
        }
    }

    @Nested
    class Order_events {
        @Test
        void lists_the_history_with_types_versions_and_payloads() {
            String id = create("c-1");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode events = get("/orders/" + id + "/events", 200).path("events");
                assertThat(events).hasSize(1);
                assertThat(events.get(0).path("type").asText()).isEqualTo("OrderCreated");
                assertThat(events.get(0).path("version").asLong()).isEqualTo(1);
                assertThat(events.get(0).path("data").path("customerId").asText()).isEqualTo("c-1");
            });
        }

        @Test
        void of_an_unknown_order_is_404() {
            assertThat(get("/orders/nope/events", 404).path("rule").asText()).isEqualTo("order-not-found");
        }
    }

    @Nested
    class Projections_status {
        @Test
        void reports_the_order_list_projection() {
            JsonNode projection = get("/projections", 200).path("projections").get(0);
            assertThat(projection.path("name").asText()).isEqualTo(OrderListProjection.NAME);
            assertThat(projection.path("state").asText()).isNotBlank();
        }
    }

    @Nested
    class Rebuild_projection {
        @Test
        void answers_202_and_switches_to_a_new_generation_with_the_same_list_while_serving() throws IOException {
            create("c-1");
            create("c-2");
            String last = create("c-3");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(get("/orders/" + last + "/events", 200).path("events")).hasSize(1));
            JsonNode before = get("/orders", 200);
            int generation = get("/projections", 200).path("projections").get(0).path("activeGeneration").asInt();

            HttpResponse<String> accepted = post("/projections/" + OrderListProjection.NAME + "/rebuild");

            assertThat(accepted.statusCode()).isEqualTo(202);
            assertThat(accepted.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            JsonNode status = JSON.readTree(accepted.body());
            assertThat(status.path("name").asText()).isEqualTo(OrderListProjection.NAME);
            assertThat(status.path("rebuildGeneration").asInt()).isEqualTo(generation + 1);
            assertThat(get("/orders", 200).path("total").asLong()).isEqualTo(3); // still serving
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode projection = get("/projections", 200).path("projections").get(0);
                assertThat(projection.path("activeGeneration").asInt()).isEqualTo(generation + 1);
                assertThat(projection.path("rebuilding").asBoolean()).isFalse();
            });
            assertThat(get("/orders", 200)).isEqualTo(before);
        }

        @Test
        void of_an_unknown_projection_is_a_404_problem() throws IOException {
            HttpResponse<String> response = post("/projections/nope/rebuild");
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(JSON.readTree(response.body()).path("type").asText()).isEqualTo("/problems/projection-not-found");
        }
    }
}
