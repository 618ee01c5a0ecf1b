// SPDX-License-Identifier: Apache-2.0
package dev.factum.command.internal;

import dev.factum.FactumException;
import dev.factum.store.Position;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ResultJsonTest {
    record Receipt(String account, BigDecimal amount, Position position, List<String> notes) {
    }

    /** Writes as {"cents":3} but has no constructor Jackson can use to read it back. */
    static final class NoCreator {
        private final long cents;

        NoCreator(long cents) {
            this.cents = cents;
        }

        public long getCents() {
            return cents;
        }
    }

    private final UUID id = UUID.randomUUID();

    @Test
    void a_record_round_trips_with_its_class_name() {
        Receipt receipt = new Receipt("a-1", new BigDecimal("10.50"), Position.of(7), List.of("x", "y"));

        ResultJson.Encoded encoded = ResultJson.encode(id, receipt);

        assertThat(encoded.type()).isEqualTo(Receipt.class.getName());
        assertThat(ResultJson.decode(id, encoded.type(), encoded.json())).isEqualTo(receipt);
    }

    @Test
    void strings_and_numbers_keep_their_class() {
        assertThat(ResultJson.decode(id, "java.lang.Long", ResultJson.encode(id, 5L).json())).isEqualTo(5L);
        assertThat(ResultJson.decode(id, "java.lang.String", ResultJson.encode(id, "done").json())).isEqualTo("done");
    }

    @Test
    void an_anonymous_result_is_refused_when_saved_naming_the_command() {
        Object anonymous = new Object() {
        };

        assertThatThrownBy(() -> ResultJson.encode(id, anonymous))
                .isInstanceOf(FactumException.class)
                .hasMessageContaining(id.toString())
                .hasMessageContaining("return a record");
    }

    @Test
    void a_result_that_does_not_read_back_is_refused_when_saved() {
        assertThatThrownBy(() -> ResultJson.encode(id, new NoCreator(3)))
                .isInstanceOf(FactumException.class)
                .hasMessageContaining("cannot be read back");
    }

    @Test
    void a_missing_class_is_named_when_read() {
        assertThatThrownBy(() -> ResultJson.decode(id, "com.example.Gone", "{}"))
                .isInstanceOf(FactumException.class)
                .hasMessageContaining("com.example.Gone")
                .hasMessageContaining(id.toString());
    }
}
