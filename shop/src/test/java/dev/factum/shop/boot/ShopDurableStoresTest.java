// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.shop.order.domain.OrderResult;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shop started through {@link ShopMain} keeps its command results (idempotency by command id) and its order
 * snapshots in the event store's SQLite file, where a restart finds them: every command the HTTP API sent is recorded
 * with its {@link OrderResult}, and an order with {@link ShopMain#SNAPSHOT_EVERY} events or more has a snapshot.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShopDurableStoresTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final HttpClient client = HttpClient.newHttpClient();

    private JsonNode post(URI base, String path, String body, int status) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    @Test
    void command_results_and_snapshots_are_written_to_the_shop_database_and_survive_a_restart() throws Exception {
        String id;
        int commands = 0;
        try (RunningShop shop = ShopMain.start(new String[]{"--port=0", "--data-dir=" + dir}, Map.of())) {
            id = post(shop.uri(), "/orders", """
                    {"customerId":"c-1","currency":"EUR","items":[{"sku":"SKU-0","quantity":1,"unitPrice":"1.00"}]}""",
                    201).path("id").asText();
            commands++;
            for (int i = 1; i <= ShopMain.SNAPSHOT_EVERY; i++) {
                post(shop.uri(), "/orders/" + id + "/items",
                        "{\"sku\":\"SKU-" + i + "\",\"quantity\":1,\"unitPrice\":\"1.00\"}", 200);
                commands++;
            }
        }

        assertThat(rows("SELECT result_type FROM command_results"))
                .as("every command recorded as done, with a result that reads back")
                .hasSize(commands).containsOnly(OrderResult.class.getName());
        assertThat(rows("SELECT stream FROM snapshots")).containsExactly("Order-" + id);

        try (RunningShop restarted = ShopMain.start(new String[]{"--port=0", "--data-dir=" + dir}, Map.of())) {
            JsonNode order = JSON.readTree(client.send(HttpRequest.newBuilder(restarted.uri().resolve("/orders/" + id))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(order.path("items")).hasSize(ShopMain.SNAPSHOT_EVERY + 1);
        }
        assertThat(rows("SELECT result_type FROM command_results")).as("still there after the restart").hasSize(commands);
    }

    private List<String> rows(String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ShopOptions.DB_FILE));
             Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            while (rows.next()) values.add(rows.getString(1));
        }
        return values;
    }
}
