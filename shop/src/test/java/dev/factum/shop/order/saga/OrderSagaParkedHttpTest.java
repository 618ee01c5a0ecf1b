// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.saga;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.event.RecordedEvent;
import dev.factum.shop.boot.RunningShop;
import dev.factum.shop.boot.ShopMain;
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
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A parked order saga handled over HTTP, through {@link ShopMain} on a SQLite file and a free port, with the real
 * engine and store: the payment simulator's injected refund fault ({@code --payment-refund-failure-rate=1}) makes the
 * refund compensation of orders an operator cancelled while they were being charged fail on every attempt, so their
 * sagas park as {@code NEEDS_ATTENTION}; the operator finds them in {@code GET /sagas?status=NEEDS_ATTENTION} and
 * {@code GET /dead-letters}, starts the shop again without the fault, retries one (it compensates) and resolves the
 * other by hand.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderSagaParkedHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Parking takes every compensation attempt of the refund timing out: 5 × (10 s + the simulator's latency). */
    private static final Duration PARKED_WITHIN = Duration.ofMinutes(3);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private RunningShop shop;
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (shop != null) shop.close();
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

    private List<String> timeline(String id) throws Exception {
        return StreamSupport.stream(send("GET", "/sagas/" + id, null, 200).get("timeline").spliterator(), false)
                .map(t -> t.get("type").asText() + (t.has("step") ? ":" + t.get("step").asText() : "")).toList();
    }

    private static List<String> ids(JsonNode list) {
        return StreamSupport.stream(list.get("sagas").spliterator(), false).map(s -> s.get("id").asText()).toList();
    }

    private JsonNode listed(String status, int count, Duration within) {
        return await().atMost(within).until(() -> send("GET", "/sagas?status=" + status, null, 200),
                list -> list.get("total").asInt() == count); // the list is a read model: it trails the streams
    }

    /** An order whose saga charged it and created its shipment, then found it cancelled: it must refund. */
    private String cancelledWhileCharging() throws Exception {
        String id = submittedOrder("SKU-1", 2);
        await().atMost(WAIT).until(() -> timeline(id).contains("StepStarted:charge-payment")); // the charge takes 3 s
        assertThat(send("POST", "/orders/" + id + "/cancel", "{\"reason\":\"customer called\"}", 200)
                .get("status").asText()).isEqualTo("CANCELLED");
        return id;
    }

    @Test
    void a_saga_whose_refund_keeps_failing_parks_and_an_operator_retries_or_resolves_it_over_http() throws Exception {
        // given: every refund fails, and the charge is slow enough to cancel the order while it runs
        start("--payment-refund-failure-rate=1", "--payment-latency-ms=3000");
        send("PUT", "/stock/SKU-1", "{\"available\": 10}", 200);
        String retried = cancelledWhileCharging();
        String resolved = cancelledWhileCharging();

        // when: the confirmation finds the order closed and the compensation cannot refund
        JsonNode parked = listed("NEEDS_ATTENTION", 2, PARKED_WITHIN);

        // then: both sagas are listed as parked, with their dead letters
        assertThat(ids(parked)).containsExactlyInAnyOrder(retried, resolved);
        for (JsonNode saga : parked.get("sagas")) {
            assertThat(saga.get("failure").asText()).isEqualTo(OrderSaga.ORDER_CLOSED);
            assertThat(saga.get("step").asText()).isEqualTo("charge-payment");
            assertThat(saga.get("stepsDone").asInt()).isEqualTo(3);
            assertThat(saga.get("deadLetter").isTextual()).as(saga.toString()).isTrue();
        }
        assertThat(timeline(retried)).containsSubsequence("StepRefused:send-confirmation", "Compensating",
                "CompensationSucceeded:create-shipment", "CompensationFailed:charge-payment", "SagaParked:charge-payment");
        assertThat(timeline(retried)).doesNotContain("CompensationSucceeded:charge-payment", "SagaCompensated");
        String retriedLetter = letterOf(parked, retried);
        String resolvedLetter = letterOf(parked, resolved);
        JsonNode letters = send("GET", "/dead-letters?consumer=saga:OrderSaga&state=PARKED", null, 200);
        assertThat(StreamSupport.stream(letters.get("deadLetters").spliterator(), false).map(l -> l.get("id").asText()))
                .containsExactlyInAnyOrder(retriedLetter, resolvedLetter);
        JsonNode letter = send("GET", "/dead-letters/" + retriedLetter, null, 200);
        assertThat(letter.get("consumer").asText()).isEqualTo("saga:OrderSaga");
        assertThat(letter.get("state").asText()).isEqualTo("PARKED");
        assertThat(letter.toString()).contains(retried);
        assertThat(send("GET", "/stock/SKU-1", null, 200).get("reserved").asInt())
                .as("the stock stays reserved while the refund is not done").isEqualTo(4);

        // when: the gateway works again (the shop started without the fault) and the operator acts
        shop.close();
        start();
        send("POST", "/sagas/" + retried + "/retry", "{\"note\":\"gateway back\"}", 200);
        JsonNode resolvedNow = send("POST", "/sagas/" + resolved + "/resolve", "{\"note\":\"refunded by hand\"}", 200);

        // then: the retried saga refunds and releases the stock; the resolved one is left alone
        assertThat(resolvedNow.get("status").asText()).isEqualTo("RESOLVED");
        assertThat(ids(listed("COMPENSATED", 1, WAIT))).containsExactly(retried);
        assertThat(ids(listed("RESOLVED", 1, WAIT))).containsExactly(resolved);
        assertThat(listed("NEEDS_ATTENTION", 0, WAIT).get("sagas")).isEmpty();
        assertThat(timeline(retried)).containsSubsequence("SagaParked:charge-payment", "SagaRetried",
                "CompensationSucceeded:charge-payment", "CompensationSucceeded:reserve-stock", "SagaCompensated");
        assertThat(send("GET", "/dead-letters/" + retriedLetter, null, 200).get("state").asText()).isEqualTo("REPLAYED");
        assertThat(send("GET", "/dead-letters/" + resolvedLetter, null, 200).get("state").asText()).isEqualTo("DISCARDED");
        assertThat(send("GET", "/stock/SKU-1", null, 200).get("reserved").asInt())
                .as("only the resolved saga's units stay reserved (its operator handles them)").isEqualTo(2);
        assertThat(send("GET", "/orders/" + retried, null, 200).get("status").asText()).isEqualTo("CANCELLED");

        // and: retry or resolve of a saga that is not parked is a 409 naming its status; an unknown one a 404
        JsonNode notParked = send("POST", "/sagas/" + retried + "/retry", null, 409);
        assertThat(notParked.get("type").asText()).isEqualTo("/problems/saga-not-parked");
        assertThat(notParked.get("detail").asText()).contains("COMPENSATED");
        assertThat(send("POST", "/sagas/" + resolved + "/resolve", null, 409).get("detail").asText()).contains("RESOLVED");
        assertThat(send("POST", "/sagas/" + resolved + "/retry", null, 409).get("detail").asText()).contains("RESOLVED");
        assertThat(send("POST", "/sagas/no-such-saga/retry", null, 404).get("type").asText())
                .isEqualTo("/problems/saga-not-found");
        assertThat(send("POST", "/sagas/no-such-saga/resolve", null, 404).get("type").asText())
                .isEqualTo("/problems/saga-not-found");

        shop.close();
        shop = null;
        try (SqliteEventStore store = SqliteEventStore.open(SqliteConfig.of(dir.resolve("shop.db")))) {
            assertThat(store.readStream(StreamId.of("Payment", retried), ReadStreamOptions.forward()).stream()
                    .map(RecordedEvent::type)).as("the retried saga's payment").containsExactly("PaymentCharged", "PaymentRefunded");
        }
    }

    @Test
    void the_list_is_paged_and_refuses_a_bad_status_limit_or_offset_naming_what_it_takes() throws Exception {
        start();
        send("PUT", "/stock/SKU-1", "{\"available\": 10}", 200);
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 3; i++) orders.add(submittedOrder("SKU-1", 1));
        listed("COMPLETED", 3, WAIT);

        JsonNode second = send("GET", "/sagas?limit=1&offset=1", null, 200);
        assertThat(ids(second)).containsExactly(orders.get(1)); // newest first: 2, 1, 0
        assertThat(second.get("total").asInt()).isEqualTo(3);
        assertThat(second.get("limit").asInt()).isEqualTo(1);
        assertThat(second.get("offset").asInt()).isEqualTo(1);
        JsonNode row = second.get("sagas").get(0);
        assertThat(row.get("saga").asText()).isEqualTo(OrderSaga.NAME);
        assertThat(row.get("step").asText()).isEqualTo("send-confirmation");
        assertThat(row.get("stepsDone").asInt()).isEqualTo(4);
        assertThat(row.get("failure").isNull()).isTrue();
        assertThat(row.get("startedAt").asText()).isNotBlank();
        assertThat(send("GET", "/sagas?offset=5", null, 200).get("sagas")).isEmpty();

        assertThat(send("GET", "/sagas?status=PARKED", null, 400).get("detail").asText())
                .isEqualTo("status must be one of [RUNNING, COMPENSATING, COMPLETED, COMPENSATED, NEEDS_ATTENTION, "
                        + "RESOLVED], got 'PARKED'");
        assertThat(send("GET", "/sagas?limit=0", null, 400).get("detail").asText())
                .isEqualTo("limit must be an integer from 1 to 1000, got '0'");
        assertThat(send("GET", "/sagas?offset=-1", null, 400).get("detail").asText())
                .isEqualTo("offset must be an integer of 0 or more, got '-1'");
    }

    @Test
    void a_rejected_order_shows_its_reason_and_other_orders_have_none() throws Exception {
        start();
        send("PUT", "/stock/SKU-1", "{\"available\": 1}", 200);
        String rejected = submittedOrder("SKU-1", 2);
        JsonNode order = await().atMost(WAIT).until(() -> send("GET", "/orders/" + rejected, null, 200),
                o -> o.get("status").asText().equals("REJECTED"));
        assertThat(order.get("rejectionReason").asText()).isEqualTo(OrderSaga.OUT_OF_STOCK);

        String confirmed = submittedOrder("SKU-1", 1);
        JsonNode other = await().atMost(WAIT).until(() -> send("GET", "/orders/" + confirmed, null, 200),
                o -> o.get("status").asText().equals("CONFIRMED"));
        assertThat(other.has("rejectionReason")).as(other.toString()).isFalse();
    }

    private static String letterOf(JsonNode list, String sagaId) {
        return StreamSupport.stream(list.get("sagas").spliterator(), false).filter(s -> s.get("id").asText().equals(sagaId))
                .findFirst().orElseThrow().get("deadLetter").asText();
    }
}
