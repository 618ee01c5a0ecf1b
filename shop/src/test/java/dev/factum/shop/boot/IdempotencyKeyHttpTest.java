// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code Idempotency-Key} over HTTP against the shop as {@link ShopMain} starts it (durable command results on
 * SQLite): a resent request is answered with the first one's result and changes nothing.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IdempotencyKeyHttpTest {
    private static final String CREATE = """
            {"customerId":"c-1","currency":"EUR","items":[{"sku":"SKU-1","quantity":2,"unitPrice":"19.99"}]}""";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private RunningShop shop;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        shop = ShopMain.start(new String[]{"--port=0", "--data-dir=" + dir}, Map.of());
    }

    @AfterEach
    void stop() {
        shop.close();
    }

    private HttpResponse<String> post(String path, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(shop.uri().resolve(path))
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) request.header("Idempotency-Key", key);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        return JSON.readTree(client.send(HttpRequest.newBuilder(shop.uri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void a_create_resent_with_the_same_key_answers_the_first_order_and_creates_no_second_one() throws Exception {
        HttpResponse<String> first = post("/orders", CREATE, "create-42");
        HttpResponse<String> again = post("/orders", CREATE, "create-42");
        HttpResponse<String> other = post("/orders", CREATE, "create-43");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(201);
        String location = first.headers().firstValue("Location").orElseThrow();
        assertThat(again.headers().firstValue("Location")).contains(location);
        assertThat(JSON.readTree(again.body()).get("id")).isEqualTo(JSON.readTree(first.body()).get("id"));
        assertThat(other.headers().firstValue("Location")).isPresent().get().isNotEqualTo(location);
        assertThat(get(location).get("version").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> get("/projections").get("projections").get(0).get("lagEvents").asLong() == 0);
        assertThat(get("/orders").get("total").asLong()).as("orders created").isEqualTo(2);
    }

    @Test
    void a_write_resent_with_the_same_key_is_applied_once() throws Exception {
        String location = post("/orders", CREATE, null).headers().firstValue("Location").orElseThrow();
        String item = "{\"sku\":\"SKU-2\",\"quantity\":1,\"unitPrice\":\"5.00\"}";

        HttpResponse<String> first = post(location + "/items", item, "add-sku-2");
        HttpResponse<String> again = post(location + "/items", item, "add-sku-2");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("ETag")).contains("\"2\"");
        assertThat(get(location).get("version").asLong()).isEqualTo(2);
        assertThat(get(location).get("total").asText()).isEqualTo("44.98");
        // the same key on another path is another request
        assertThat(post(location + "/submit", null, "add-sku-2").headers().firstValue("ETag")).contains("\"3\"");
    }

    @Test
    void a_malformed_key_is_a_400_problem_and_writes_nothing() throws Exception {
        HttpResponse<String> refused = post("/orders", CREATE, "with space");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("type").asText()).isEqualTo("/problems/invalid-idempotency-key");
        assertThat(get("/orders").get("total").asLong()).isZero();
    }
}
