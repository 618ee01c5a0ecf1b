// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.command.CommandBus;
import dev.factum.query.QueryBus;
import dev.factum.shop.order.app.OrderService;
import dev.factum.shop.order.view.OrderListProjection;
import dev.factum.shop.order.view.OrderListTables;
import dev.factum.shop.order.view.OrderQueries;
import dev.factum.shop.order.view.ViewDatabase;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.store.EventStore;
import dev.factum.subscription.CheckpointStore;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The read endpoints over HTTP, served from the order list projection, its events and read model in a SQLite file;
 * subclasses run the same tests on another store by overriding {@link #openStore}, {@link #checkpoints} and
 * {@link #database} ({@link PostgresOrderHttpReadSideTest}).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderHttpReadSideTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private EventStore store;
    private ViewDatabase views;
    private Projections projections;
    private ShopServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    /** The store the server writes to, fresh for each test; {@code dir} is an empty temporary directory. */
    EventStore openStore(Path dir) {
        return SqliteEventStore.open(SqliteConfig.of(dir.resolve("shop.db")));
    }

    /** The store's checkpoint store (whose transactions the read model shares). */
    CheckpointStore checkpoints(EventStore store) {
        return ((SqliteEventStore) store).checkpointStore();
    }

    /** Where the read model's tables of {@code store} are. */
    ViewDatabase database(EventStore store) {
        return ViewDatabase.sqlite(((SqliteEventStore) store).config().file());
    }

    @BeforeEach
    void start() {
        store = openStore(dir);
        views = database(store);
        OrderListProjection list = new OrderListProjection(views);
        projections = Projections.builder(store, checkpoints(store)).add(list).build();
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

    static String order(String customer) {
        return "{\"customerId\":\"" + customer + "\",\"currency\":\"EUR\","
                + "\"items\":[{\"sku\":\"SKU-1\",\"quantity\":2,\"unitPrice\":\"19.99\"}]}";
    }

    String create(String customer) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(server.uri().resolve("/orders")).POST(
                HttpRequest.BodyPublishers.ofString(order(customer))));
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
        void while_writes_continue_switches_to_a_read_model_equal_to_one_built_from_scratch() throws Exception {
            // given orders in the read model, some submitted, and a writer that keeps creating and submitting orders
            for (int i = 0; i < 30; i++) {
                String id = create("c-" + i % 3);
                if (i % 2 == 0) assertThat(post("/orders/" + id + "/submit").statusCode()).isEqualTo(200);
            }
            int generation = get("/projections", 200).path("projections").get(0).path("activeGeneration").asInt();
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger writes = new AtomicInteger();
            AtomicInteger creates = new AtomicInteger();
            List<String> failures = new CopyOnWriteArrayList<>();
            Thread writer = Thread.ofPlatform().name("order-writer").start(() -> {
                String draft = null;
                while (writing.get()) {
                    HttpResponse<String> response;
                    try {
                        response = draft == null
                                ? send(HttpRequest.newBuilder(server.uri().resolve("/orders"))
                                .POST(HttpRequest.BodyPublishers.ofString(order("c-w"))))
                                : post("/orders/" + draft + "/submit");
                    } catch (RuntimeException e) {
                        failures.add(e.toString());
                        return;
                    }
                    if (response.statusCode() >= 300) failures.add(response.statusCode() + " " + response.body());
                    if (draft == null) {
                        creates.incrementAndGet();
                        draft = response.headers().firstValue("Location").map(l -> l.substring("/orders/".length()))
                                .orElse(null);
                    } else {
                        draft = null;
                    }
                    writes.incrementAndGet();
                }
            });
            int writesDuringRebuild;
            try {
                // when the projection is rebuilt over HTTP while the writes go on, before, during and after its switch
                int atRequest = writes.get();
                HttpResponse<String> accepted = post("/projections/" + OrderListProjection.NAME + "/rebuild");
                assertThat(accepted.statusCode()).isEqualTo(202);
                assertThat(JSON.readTree(accepted.body()).path("rebuildGeneration").asInt()).isEqualTo(generation + 1);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    JsonNode projection = get("/projections", 200).path("projections").get(0);
                    assertThat(projection.path("activeGeneration").asInt()).isEqualTo(generation + 1);
                    assertThat(projection.path("rebuilding").asBoolean()).isFalse();
                });
                int atSwitch = writes.get();
                writesDuringRebuild = atSwitch - atRequest;
                await().atMost(Duration.ofSeconds(30)).until(() -> writes.get() >= atSwitch + 10);
            } finally {
                writing.set(false);
                writer.join(Duration.ofSeconds(30));
            }
            assertThat(failures).as("every write while rebuilding was accepted").isEmpty();
            assertThat(writesDuringRebuild).as("writes between the rebuild request and the switch").isPositive();

            // then the switched generation, once at the last write, equals an order list built from scratch
            assertThat(projections.awaitCheckpoint(OrderListProjection.NAME, store.headPosition(), Duration.ofSeconds(30)))
                    .as("the switched generation reaches the last write").isTrue();
            List<List<String>> switched = OrderListTables.rows(views, generation + 1);
            assertThat(switched).hasSize(30 + creates.get());
            assertThat(switched).isEqualTo(OrderListTables.builtFromScratch(store, views));
            assertThat(get("/orders?size=1", 200).path("total").asLong()).isEqualTo(switched.size());
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
