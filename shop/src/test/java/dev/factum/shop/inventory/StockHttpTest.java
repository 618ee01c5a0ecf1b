// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.shop.boot.RunningShop;
import dev.factum.shop.boot.ShopMain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The stock endpoints of the shop started through {@link ShopMain} on a SQLite file and a free port. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StockHttpTest {
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

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        URI uri = shop.uri().resolve(path);
        HttpRequest request = HttpRequest.newBuilder(uri).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private static JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        return json(response, status);
    }

    @Test
    void put_sets_the_level_and_get_reads_it() throws Exception {
        JsonNode put = json(send("PUT", "/stock/SKU-1", "{\"available\": 10}"), 200);
        assertThat(put.toString()).isEqualTo("{\"sku\":\"SKU-1\",\"available\":10,\"reserved\":0}");

        JsonNode got = json(send("GET", "/stock/SKU-1", null), 200);
        assertThat(got.toString()).isEqualTo("{\"sku\":\"SKU-1\",\"available\":10,\"reserved\":0}");

        json(send("PUT", "/stock/SKU-1", "{\"available\": 0}"), 200);
        assertThat(json(send("GET", "/stock/SKU-1", null), 200).get("available").asInt()).isZero();
    }

    @Test
    void get_of_a_sku_never_stocked_is_404_naming_the_sku() throws Exception {
        JsonNode problem = problem(send("GET", "/stock/SKU-404", null), 404);
        assertThat(problem.get("type").asText()).isEqualTo("/problems/sku-not-found");
        assertThat(problem.get("detail").asText()).contains("SKU-404");
    }

    @Test
    void list_shows_every_stocked_sku_in_sku_order() throws Exception {
        assertThat(json(send("GET", "/stock", null), 200).toString()).isEqualTo("{\"stock\":[]}");
        json(send("PUT", "/stock/SKU-B", "{\"available\": 2}"), 200);
        json(send("PUT", "/stock/SKU-A", "{\"available\": 5}"), 200);
        json(send("PUT", "/stock/SKU-A", "{\"available\": 7}"), 200);

        assertThat(json(send("GET", "/stock", null), 200).toString()).isEqualTo("{\"stock\":["
                + "{\"sku\":\"SKU-A\",\"available\":7,\"reserved\":0},"
                + "{\"sku\":\"SKU-B\",\"available\":2,\"reserved\":0}]}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"available\": -1}", "{\"available\": \"10\"}", "{\"available\": 1.5}", "{}",
            "[10]", "{\"available\": 99999999999}"})
    void put_with_an_invalid_level_is_400_invalid_field(String body) throws Exception {
        JsonNode problem = problem(send("PUT", "/stock/SKU-1", body), 400);
        assertThat(problem.get("type").asText()).isEqualTo("/problems/invalid-field");
        assertThat(problem.get("detail").asText()).contains("available");
        problem(send("GET", "/stock/SKU-1", null), 404); // nothing was stored
    }

    @Test
    void put_with_malformed_json_is_400_malformed_json() throws Exception {
        JsonNode problem = problem(send("PUT", "/stock/SKU-1", "{\"available\": "), 400);
        assertThat(problem.get("type").asText()).isEqualTo("/problems/malformed-json");
    }

    @Test
    void put_with_an_unknown_field_is_400_naming_it() throws Exception {
        JsonNode problem = problem(send("PUT", "/stock/SKU-1", "{\"available\": 1, \"reserved\": 2}"), 400);
        assertThat(problem.get("type").asText()).isEqualTo("/problems/unknown-field");
        assertThat(problem.get("detail").asText()).contains("'reserved'");
    }
}
