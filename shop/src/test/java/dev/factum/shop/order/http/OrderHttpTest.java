// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.command.CommandBus;
import dev.factum.shop.order.app.OrderService;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.StreamId;
import dev.factum.store.WrongExpectedVersionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Order API over HTTP against a real server on a free port, its events in a SQLite file; subclasses run the same
 * tests on another store by overriding {@link #openStore(Path)} ({@link PostgresOrderHttpTest}).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderHttpTest {
    private static final String CREATE = """
            {"customerId":"c-1","currency":"EUR","items":[{"sku":"SKU-1","quantity":2,"unitPrice":"19.99"}]}""";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private EventStore store;
    private ShopServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        store = openStore(dir);
        OrderService orders = new OrderService(store);
        server = ShopServer.start(orders.register(CommandBus.builder()).build(), orders, Optional.empty(),
                HttpOptions.defaults().withHost("127.0.0.1").withPort(0));
    }

    /** The store the server writes to, fresh for each test; {@code dir} is an empty temporary directory. */
    EventStore openStore(Path dir) {
        return SqliteEventStore.open(SqliteConfig.of(dir.resolve("shop.db")));
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    record Reply(int status, String contentType, String etag, String location, JsonNode body) {
        String text(String field) {
            return body.path(field).asText();
        }
    }

    Reply call(String method, String path, String body, String ifMatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) request.header("Content-Type", "application/json");
        if (ifMatch != null) request.header("If-Match", ifMatch);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("ETag").orElse(""), response.headers().firstValue("Location").orElse(""),
                    text.isEmpty() ? JSON.nullNode() : JSON.readTree(text));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply post(String path, String body) {
        return call("POST", path, body, null);
    }

    String created() {
        return post("/orders", CREATE).text("id");
    }

    static void assertProblem(Reply reply, int status, String name) {
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.text("type")).isEqualTo("/problems/" + name);
        assertThat(reply.body().path("status").asInt()).isEqualTo(status);
        assertThat(reply.text("title")).isNotBlank();
        assertThat(reply.text("detail")).isNotBlank();
    }

    long storedVersion(String id) {
        return store.streamVersion(StreamId.of("Order", id));
    }

    @Nested
    class Lifecycle {
        @Test
        void an_order_goes_from_creation_to_delivery_over_HTTP() {
            Reply created = post("/orders", CREATE);
            assertThat(created.status()).isEqualTo(201);
            String id = created.text("id");
            assertThat(created.location()).isEqualTo("/orders/" + id);
            assertThat(created.etag()).isEqualTo("\"1\"");
            assertThat(created.contentType()).startsWith("application/json");
            assertThat(created.body().path("items").get(0).path("unitPrice").asText()).isEqualTo("19.99");
            assertThat(created.text("total")).isEqualTo("39.98");
            assertThat(created.text("status")).isEqualTo("DRAFT");

            Reply added = post("/orders/" + id + "/items", """
                    {"sku":"SKU-2","quantity":1,"unitPrice":"0.0100"}""");
            assertThat(added.etag()).isEqualTo("\"2\"");
            assertThat(added.text("total")).isEqualTo("39.9900");
            Reply removed = call("DELETE", "/orders/" + id + "/items/SKU-2", null, null);
            assertThat(removed.status()).isEqualTo(200);
            assertThat(removed.text("total")).isEqualTo("39.98");

            assertThat(post("/orders/" + id + "/submit", null).text("status")).isEqualTo("SUBMITTED");
            assertThat(post("/orders/" + id + "/payments", """
                    {"paymentId":"p-1","amount":"39.98"}""").text("status")).isEqualTo("PAID");
            assertThat(post("/orders/" + id + "/shipment", """
                    {"trackingNumber":"T-1","carrier":"DHL"}""").text("status")).isEqualTo("SHIPPED");
            Reply delivered = post("/orders/" + id + "/delivery", null);
            assertThat(delivered.status()).isEqualTo(200);
            assertThat(delivered.text("status")).isEqualTo("DELIVERED");
            assertThat(delivered.etag()).isEqualTo("\"7\"");

            Reply read = call("GET", "/orders/" + id, null, null);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.etag()).isEqualTo("\"7\"");
            assertThat(read.body()).isEqualTo(delivered.body());
        }

        @Test
        void a_draft_can_be_cancelled_with_a_reason() {
            String id = created();
            Reply cancelled = post("/orders/" + id + "/cancel", """
                    {"reason":"changed my mind"}""");
            assertThat(cancelled.status()).isEqualTo(200);
            assertThat(cancelled.text("status")).isEqualTo("CANCELLED");
        }

        @Test
        void health_answers_up() {
            Reply health = call("GET", "/health", null, null);
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.text("status")).isEqualTo("UP");
        }
    }

    @Nested
    class IfMatch {
        @Test
        void a_current_version_applies_the_command() {
            String id = created();
            Reply submitted = call("POST", "/orders/" + id + "/submit", null, "\"1\"");
            assertThat(submitted.status()).isEqualTo(200);
            assertThat(submitted.etag()).isEqualTo("\"2\"");
        }

        @Test
        void a_stale_version_is_refused_with_412_and_nothing_is_written() {
            String id = created();
            post("/orders/" + id + "/items", """
                    {"sku":"SKU-2","quantity":1,"unitPrice":"5"}""");
            Reply stale = call("POST", "/orders/" + id + "/submit", null, "\"1\"");
            assertProblem(stale, 412, "version-mismatch");
            assertThat(storedVersion(id)).isEqualTo(2);
            assertThat(call("GET", "/orders/" + id, null, null).text("status")).isEqualTo("DRAFT");
        }

        @Test
        void a_malformed_header_is_a_bad_request() {
            String id = created();
            assertProblem(call("POST", "/orders/" + id + "/submit", null, "W/\"1\""), 400, "invalid-if-match");
            assertThat(storedVersion(id)).isEqualTo(1);
        }

        @Test
        void an_unknown_order_is_not_found_before_any_version_check() {
            assertProblem(call("POST", "/orders/nope/submit", null, "\"1\""), 404, "order-not-found");
        }
    }

    @Nested
    class Errors {
        @Test
        void malformed_JSON_is_400() {
            assertProblem(post("/orders", "{\"customerId\":"), 400, "malformed-json");
        }

        @Test
        void an_unknown_field_is_400_naming_it() {
            Reply reply = post("/orders", """
                    {"customerId":"c-1","currency":"EUR","items":[],"coupon":"X"}""");
            assertProblem(reply, 400, "unknown-field");
            assertThat(reply.text("detail")).contains("coupon");
        }

        @Test
        void a_wrong_type_is_400() {
            assertProblem(post("/orders", """
                    {"customerId":"c-1","currency":"EUR","items":[{"sku":"SKU-1","quantity":"two","unitPrice":"1"}]}"""),
                    400, "invalid-field");
        }

        @Test
        void a_missing_field_is_400() {
            assertProblem(post("/orders", """
                    {"customerId":"c-1","items":[]}"""), 400, "invalid-field");
        }

        @Test
        void a_zero_or_negative_quantity_breaks_a_rule() {
            String id = created();
            for (int quantity : new int[]{0, -1}) {
                Reply reply = post("/orders/" + id + "/items",
                        "{\"sku\":\"SKU-2\",\"quantity\":" + quantity + ",\"unitPrice\":\"1\"}");
                assertProblem(reply, 422, "rule-violated");
                assertThat(reply.text("rule")).isEqualTo("quantity-must-be-positive");
            }
            assertThat(storedVersion(id)).isEqualTo(1);
        }

        @Test
        void more_than_four_decimals_breaks_a_rule() {
            Reply reply = post("/orders", """
                    {"customerId":"c-1","currency":"EUR","items":[{"sku":"SKU-1","quantity":1,"unitPrice":"0.00001"}]}""");
            assertProblem(reply, 422, "rule-violated");
            assertThat(reply.text("rule")).isEqualTo("amount-at-most-4-decimal-places");
        }

        @Test
        void an_unknown_currency_breaks_a_rule() {
            Reply reply = post("/orders", """
                    {"customerId":"c-1","currency":"XYZ","items":[]}""");
            assertProblem(reply, 422, "rule-violated");
            assertThat(reply.text("rule")).isEqualTo("currency-unknown");
        }

        @Test
        void a_broken_lifecycle_rule_is_422_naming_the_rule() {
            String id = created();
            Reply reply = post("/orders/" + id + "/shipment", """
                    {"trackingNumber":"T-1","carrier":"DHL"}""");
            assertProblem(reply, 422, "rule-violated");
            assertThat(reply.text("rule")).isEqualTo("order-not-paid");
        }

        @Test
        void an_oversized_body_is_413() {
            String huge = "{\"reason\":\"" + "x".repeat(70 * 1024) + "\"}";
            String id = created();
            assertProblem(post("/orders/" + id + "/cancel", huge), 413, "request-too-large");
            assertThat(storedVersion(id)).isEqualTo(1);
        }

        @Test
        void a_concurrent_writer_winning_every_retry_is_409_and_nothing_is_written() {
            String id = created();
            EventStore losing = (EventStore) Proxy.newProxyInstance(EventStore.class.getClassLoader(),
                    new Class<?>[]{EventStore.class}, (proxy, method, args) -> {
                        if (method.getName().equals("append")) {
                            throw new WrongExpectedVersionException((StreamId) args[0], (ExpectedVersion) args[1], 99);
                        }
                        try {
                            return method.invoke(store, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            OrderService orders = new OrderService(losing);
            try (ShopServer racing = ShopServer.start(orders.register(CommandBus.builder()).build(), orders, Optional.empty(),
                    HttpOptions.defaults().withHost("127.0.0.1").withPort(0))) {
                HttpRequest request = HttpRequest.newBuilder(racing.uri().resolve("/orders/" + id + "/submit"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build();
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(409);
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("application/problem+json"));
                assertThat(JSON.readTree(response.body()).path("type").asText()).isEqualTo("/problems/concurrent-change");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
            assertThat(storedVersion(id)).isEqualTo(1);
        }

        @Test
        void an_unknown_order_is_404() {
            Reply reply = call("GET", "/orders/nope", null, null);
            assertProblem(reply, 404, "order-not-found");
            assertProblem(post("/orders/nope/submit", null), 404, "order-not-found");
        }
    }

    @Nested
    class Unknown_routes {
        @Test
        void an_unknown_path_is_a_404_problem() {
            assertProblem(call("GET", "/nowhere", null, null), 404, "no-such-endpoint");
            assertProblem(post("/orders/o-1/teleport", "{}"), 404, "no-such-endpoint");
        }

        @Test
        void a_method_the_path_does_not_allow_is_a_405_problem() {
            assertProblem(call("DELETE", "/orders", null, null), 405, "method-not-allowed");
            assertProblem(call("PUT", "/health", "{}", null), 405, "method-not-allowed");
        }
    }
}
