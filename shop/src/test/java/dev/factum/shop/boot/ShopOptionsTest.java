// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.boot;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ShopOptions#parse}: flags in both forms, the environment as fallback, and each refusal naming its source. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShopOptionsTest {
    private static ShopOptions parse(Map<String, String> env, String... args) {
        return ShopOptions.parse(args, env);
    }

    @Test
    void without_flags_or_variables_listens_on_8080_with_data_shop_db() {
        assertThat(parse(Map.of())).isEqualTo(new ShopOptions(8080, Path.of("data/shop.db"), Optional.empty()));
    }

    @Test
    void reads_each_flag_as_flag_value_or_flag_space_value() {
        assertThat(parse(Map.of(), "--port=0", "--db", "/tmp/x.db", "--postgres", "jdbc:postgresql://h/db"))
                .isEqualTo(new ShopOptions(0, Path.of("/tmp/x.db"), Optional.of("jdbc:postgresql://h/db")));
        assertThat(parse(Map.of(), "--data-dir=/var/shop").db()).isEqualTo(Path.of("/var/shop/shop.db"));
    }

    @Test
    void falls_back_to_the_environment_and_a_flag_beats_it() {
        Map<String, String> env = Map.of("SHOP_PORT", "9090", "SHOP_DATA_DIR", "/srv", "SHOP_POSTGRES_URL", "jdbc:postgresql://e/db");
        assertThat(parse(env)).isEqualTo(new ShopOptions(9090, Path.of("/srv/shop.db"), Optional.of("jdbc:postgresql://e/db")));
        assertThat(parse(env, "--port=1", "--db=/a.db")).isEqualTo(
                new ShopOptions(1, Path.of("/a.db"), Optional.of("jdbc:postgresql://e/db")));
        assertThat(parse(Map.of("SHOP_DB", "/b.db", "SHOP_PORT", " "), "--port", "0").db()).isEqualTo(Path.of("/b.db"));
    }

    @Test
    void names_the_bad_flag_or_variable() {
        assertThatThrownBy(() -> parse(Map.of("SHOP_PORT", "eighty"))).hasMessage(
                "SHOP_PORT must be a port number from 0 to 65535 (0 picks a free one), got 'eighty'");
        assertThatThrownBy(() -> parse(Map.of(), "--port=-1")).hasMessageStartingWith("--port must be a port number");
        assertThatThrownBy(() -> parse(Map.of(), "--db=", "--port=0")).hasMessageStartingWith("--db needs a value");
        assertThatThrownBy(() -> parse(Map.of(), "--db", "--port=0")).hasMessageStartingWith("--db needs a value");
        assertThatThrownBy(() -> parse(Map.of("SHOP_DB", "/a.db", "SHOP_DATA_DIR", "/b")))
                .hasMessage("give SHOP_DB or SHOP_DATA_DIR, not both");
        assertThatThrownBy(() -> parse(Map.of(), "8080")).hasMessageStartingWith("unknown argument: 8080 (use --port=");
    }

    @Test
    void payment_simulator_flags_and_their_errors() {
        ShopOptions defaults = parse(Map.of());
        assertThat(defaults.paymentDeclineRate()).isZero();
        assertThat(defaults.paymentLatency()).isEqualTo(java.time.Duration.ZERO);
        ShopOptions given = parse(Map.of("SHOP_PAYMENT_LATENCY_MS", "5"), "--payment-decline-rate=0.25");
        assertThat(given.paymentDeclineRate()).isEqualTo(0.25);
        assertThat(given.paymentLatency()).isEqualTo(java.time.Duration.ofMillis(5));
        assertThatThrownBy(() -> parse(Map.of(), "--payment-decline-rate=1.5"))
                .hasMessage("--payment-decline-rate must be a number from 0 to 1 (0.03 declines 3 %), got '1.5'");
        assertThatThrownBy(() -> parse(Map.of(), "--payment-latency-ms=x"))
                .hasMessage("--payment-latency-ms must be whole milliseconds from 0 to 60000, got 'x'");
    }

    @Test
    void the_refund_failure_fault_injection_is_off_by_default_and_validated() {
        assertThat(parse(Map.of()).paymentRefundFailureRate()).isZero();
        assertThat(parse(Map.of(), "--payment-refund-failure-rate", "1").paymentRefundFailureRate()).isEqualTo(1.0);
        assertThat(parse(Map.of("SHOP_PAYMENT_REFUND_FAILURE_RATE", "0.5")).paymentRefundFailureRate()).isEqualTo(0.5);
        assertThat(parse(Map.of("SHOP_PAYMENT_REFUND_FAILURE_RATE", "0.5"), "--payment-refund-failure-rate=0")
                .paymentRefundFailureRate()).isZero();
        assertThatThrownBy(() -> parse(Map.of(), "--payment-refund-failure-rate=2"))
                .hasMessage("--payment-refund-failure-rate must be a number from 0 to 1 (a simulator fault injection: "
                        + "1 fails every refund), got '2'");
        assertThatThrownBy(() -> parse(Map.of("SHOP_PAYMENT_REFUND_FAILURE_RATE", "often")))
                .hasMessageContaining("got 'often'");
        assertThatThrownBy(() -> parse(Map.of()).withPaymentRefundFailureRate(-1))
                .hasMessage("the payment refund failure rate must be from 0 to 1, was -1.0");
    }
}
