// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.saga;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.event.RecordedEvent;
import dev.factum.shop.boot.RunningShop;
import dev.factum.shop.boot.ShopMain;
import dev.factum.shop.inventory.domain.StockState;
import dev.factum.shop.inventory.domain.Stocks;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order saga through {@link ShopMain} on a SQLite file and a free port: a submitted order is confirmed (or
 * rejected and compensated) by the saga alone, and its timeline is over HTTP.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderSagaHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private RunningShop shop;
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (shop != null) shop.close();
    }

    /** The timeline without {@code StepAwaiting}/{@code CompensationAwaiting}, which a fast reply can overtake. */
    private static List<String> answered(List<String> timeline) {
        return timeline.stream().filter(t -> !t.startsWith("StepAwaiting:") && !t.startsWith("CompensationAwaiting:")).toList();
    }

    private void start(String... more) {
        List<String> args = new ArrayList<>(List.of("--port=0", "--data-dir=" + dir));
        args.addAll(List.of(more));
        shop = ShopMain.start(args.toArray(String[]::new), Map.of());
    }

    private JsonNode send(String method, String path, String body, int status) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(shop.uri().resolve(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private String submittedOrder(String sku, int quantity) throws Exception {
        String id = send("POST", "/orders", "{\"customerId\":\"c-1\",\"currency\":\"EUR\",\"items\":[{\"sku\":\"" + sku
                + "\",\"quantity\":" + quantity + ",\"unitPrice\":\"19.99\"}]}", 201).get("id").asText();
        assertThat(send("POST", "/orders/" + id + "/submit", null, 200).get("status").asText()).isEqualTo("SUBMITTED");
        return id;
    }

    private String awaitOutcome(String id) {
        return await().atMost(WAIT).until(() -> send("GET", "/orders/" + id, null, 200).get("status").asText(),
                status -> status.equals("CONFIRMED") || status.equals("REJECTED"));
    }

    private JsonNode awaitEvent(String id, String type) {
        return await().atMost(WAIT).until(() -> events(id).stream().filter(e -> e.get("type").asText().equals(type))
                .findFirst().orElse(null), e -> e != null);
    }

    private List<JsonNode> events(String id) throws Exception {
        JsonNode body = send("GET", "/orders/" + id + "/events", null, 200);
        JsonNode list = body.isArray() ? body : body.get("events");
        return StreamSupport.stream(list.spliterator(), false).toList();
    }

    private JsonNode saga(String id) throws Exception {
        return send("GET", "/sagas/" + id, null, 200);
    }

    private static List<String> timeline(JsonNode saga) {
        return StreamSupport.stream(saga.get("timeline").spliterator(), false)
                .map(t -> t.get("type").asText() + (t.has("step") ? ":" + t.get("step").asText() : "")).toList();
    }

    private JsonNode stock(String sku) throws Exception {
        return send("GET", "/stock/" + sku, null, 200);
    }

    @Test
    void a_submitted_order_goes_through_the_saga_to_confirmed_with_a_tracking_number_and_a_notification() throws Exception {
        start();
        send("PUT", "/stock/SKU-1", "{\"available\": 10}", 200);
        String id = submittedOrder("SKU-1", 2);

        assertThat(awaitOutcome(id)).isEqualTo("CONFIRMED");
        JsonNode confirmed = awaitEvent(id, "OrderConfirmed");
        assertThat(confirmed.toString()).containsPattern("TRK-[0-9A-F]{16}");
        await().atMost(WAIT).until(() -> send("GET", "/notifications?orderId=" + id, null, 200).toString(),
                body -> body.contains("\"kind\":\"ORDER_CONFIRMED\""));
        assertThat(stock("SKU-1").toString()).isEqualTo("{\"sku\":\"SKU-1\",\"available\":8,\"reserved\":2}");

        JsonNode saga = saga(id);
        assertThat(saga.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(saga.get("data").get("trackingNumber").asText()).startsWith("TRK-");
        // each participant's step is asked (StepAwaiting, unless its reply was recorded first) and answered
        assertThat(answered(timeline(saga))).containsExactly("SagaStarted",
                "StepStarted:reserve-stock", "StepSucceeded:reserve-stock",
                "StepStarted:charge-payment", "StepSucceeded:charge-payment",
                "StepStarted:create-shipment", "StepSucceeded:create-shipment",
                "StepStarted:send-confirmation", "StepSucceeded:send-confirmation", "SagaCompleted");
        JsonNode first = saga.get("timeline").get(1);
        assertThat(first.get("attempt").asInt()).isEqualTo(1);
        assertThat(first.get("at").asText()).isNotBlank();
        assertThat(first.get("deadline").asText()).isNotBlank();
    }

    @Test
    void an_order_out_of_stock_is_rejected_and_nothing_is_charged() throws Exception {
        start();
        send("PUT", "/stock/SKU-1", "{\"available\": 1}", 200);
        String id = submittedOrder("SKU-1", 2);

        assertThat(awaitOutcome(id)).isEqualTo("REJECTED");
        assertThat(awaitEvent(id, "OrderRejected").toString()).contains("OUT_OF_STOCK");
        JsonNode saga = saga(id);
        assertThat(saga.get("status").asText()).isEqualTo("COMPENSATED");
        assertThat(saga.get("failure").asText()).isEqualTo("OUT_OF_STOCK");
        assertThat(answered(timeline(saga))).containsExactly("SagaStarted", "StepStarted:reserve-stock",
                "StepRefused:reserve-stock", "Compensating", "SagaCompensated"); // payment never asked
        assertThat(stock("SKU-1").toString()).isEqualTo("{\"sku\":\"SKU-1\",\"available\":1,\"reserved\":0}");
        JsonNode compensated = await().atMost(WAIT).until(() -> send("GET", "/sagas?status=COMPENSATED", null, 200),
                list -> list.get("total").asInt() == 1); // the list is a read model: it trails the saga's stream
        assertThat(compensated.get("sagas").get(0).get("id").asText()).isEqualTo(id);
        assertThat(compensated.get("sagas").get(0).get("failure").asText()).isEqualTo("OUT_OF_STOCK");
        assertThat(send("GET", "/sagas?status=COMPLETED", null, 200).get("sagas")).isEmpty();
    }

    @Test
    void a_declined_payment_rejects_the_order_and_releases_its_stock() throws Exception {
        start("--payment-decline-rate=1.0");
        send("PUT", "/stock/SKU-1", "{\"available\": 10}", 200);
        String id = submittedOrder("SKU-1", 3);

        assertThat(awaitOutcome(id)).isEqualTo("REJECTED");
        assertThat(awaitEvent(id, "OrderRejected").toString()).contains("PAYMENT_DECLINED");
        JsonNode saga = saga(id);
        assertThat(saga.get("failure").asText()).isEqualTo("PAYMENT_DECLINED");
        assertThat(timeline(saga)).containsSubsequence("StepRefused:charge-payment", "Compensating",
                "CompensationStarted:reserve-stock", "CompensationSucceeded:reserve-stock", "SagaCompensated");
        assertThat(timeline(saga)).doesNotContain("StepStarted:create-shipment");
        assertThat(stock("SKU-1").toString()).isEqualTo("{\"sku\":\"SKU-1\",\"available\":10,\"reserved\":0}");
    }

    @Test
    void a_saga_cut_off_by_a_shutdown_mid_charge_completes_after_a_restart_charging_and_reserving_once() throws Exception {
        start("--payment-latency-ms=3000"); // the charge is under way long enough to stop the shop in it
        send("PUT", "/stock/SKU-1", "{\"available\": 10}", 200);
        String id = submittedOrder("SKU-1", 2);
        await().atMost(WAIT).until(() -> timeline(saga(id)).contains("StepStarted:charge-payment"));
        shop.close();

        shop = ShopMain.start(new String[]{"--port=0", "--data-dir=" + dir}, Map.of()); // nothing starts the saga again
        assertThat(await().atMost(WAIT.plus(OrderSaga.STEP_TIMEOUT)).until(() ->
                send("GET", "/orders/" + id, null, 200).get("status").asText(), s -> !s.equals("SUBMITTED")))
                .isEqualTo("CONFIRMED");
        List<String> timeline = timeline(saga(id));
        // the charge request outlived the shop: the payment participant handled it after the restart (its consumer's
        // checkpoint had not passed it), and the open attempt took the reply — or timed out and asked again
        assertThat(timeline).containsSubsequence("StepStarted:charge-payment", "StepSucceeded:charge-payment",
                "SagaCompleted");
        assertThat(timeline.stream().filter(t -> t.equals("StepSucceeded:charge-payment"))).hasSize(1);
        assertThat(stock("SKU-1").toString()).isEqualTo("{\"sku\":\"SKU-1\",\"available\":8,\"reserved\":2}");
        shop.close();
        shop = null;
        try (SqliteEventStore store = SqliteEventStore.open(SqliteConfig.of(dir.resolve("shop.db")))) {
            List<String> payment = store.readStream(StreamId.of("Payment", id), ReadStreamOptions.forward()).stream()
                    .map(RecordedEvent::type).toList();
            assertThat(payment).as("the payment stream of the order").containsExactly("PaymentCharged");
        }
    }

    @Test
    void saga_endpoints_answer_404_for_an_unknown_saga_400_for_a_bad_status_and_409_for_a_saga_not_parked() throws Exception {
        start();
        assertThat(send("GET", "/sagas/nope", null, 404).get("type").asText()).isEqualTo("/problems/saga-not-found");
        assertThat(send("GET", "/sagas?status=DONE", null, 400).get("detail").asText()).contains("NEEDS_ATTENTION");
        send("PUT", "/stock/SKU-1", "{\"available\": 10}", 200);
        String id = submittedOrder("SKU-1", 1);
        awaitOutcome(id);
        assertThat(send("POST", "/sagas/" + id + "/retry", null, 409).get("detail").asText()).contains("COMPLETED");
        assertThat(send("POST", "/sagas/" + id + "/resolve", "{\"note\":\"x\"}", 409).get("type").asText())
                .isEqualTo("/problems/saga-not-parked");
    }

    @Test
    void fifty_concurrent_orders_for_ten_units_confirm_exactly_ten_and_reject_the_rest_out_of_stock() throws Exception {
        start();
        send("PUT", "/stock/SKU-HOT", "{\"available\": 10}", 200);
        List<String> ids = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(16)) {
            List<Future<String>> submitted = new ArrayList<>();
            for (int i = 0; i < 50; i++) submitted.add(pool.submit((Callable<String>) () -> submittedOrder("SKU-HOT", 1)));
            for (Future<String> f : submitted) ids.add(f.get());
        }
        int confirmed = 0;
        int rejected = 0;
        for (String id : ids) {
            String outcome = awaitOutcome(id);
            if (outcome.equals("CONFIRMED")) {
                confirmed++;
            } else {
                rejected++;
                assertThat(saga(id).get("failure").asText()).as(id).isEqualTo("OUT_OF_STOCK");
            }
            JsonNode stock = stock("SKU-HOT");
            assertThat(stock.get("available").asInt()).isBetween(0, 10);
        }
        assertThat(confirmed).isEqualTo(10);
        assertThat(rejected).isEqualTo(40);
        assertThat(stock("SKU-HOT").toString()).isEqualTo("{\"sku\":\"SKU-HOT\",\"available\":0,\"reserved\":10}");
        await().atMost(WAIT).untilAsserted(() -> { // the list is a read model: it trails the sagas' streams
            assertThat(send("GET", "/sagas?status=COMPLETED", null, 200).get("sagas")).hasSize(10);
            assertThat(send("GET", "/sagas?status=COMPENSATED", null, 200).get("sagas")).hasSize(40);
        });

        shop.close();
        shop = null;
        try (SqliteEventStore store = SqliteEventStore.open(SqliteConfig.of(dir.resolve("shop.db")))) {
            StockState state = StockState.NONE; // never negative at any stored version
            for (RecordedEvent recorded : store.readStream(StreamId.of(Stocks.CATEGORY, "SKU-HOT"), ReadStreamOptions.forward())) {
                state = Stocks.AGGREGATE.evolve(state, Stocks.AGGREGATE.codec().decode(recorded, Stocks.AGGREGATE.eventType()));
                assertThat(state.available()).as("available after version %d", recorded.version()).isNotNegative();
            }
            assertThat(state.reservations()).hasSize(10);
        }
    }
}
