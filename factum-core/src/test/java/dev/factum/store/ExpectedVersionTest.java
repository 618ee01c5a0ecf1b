// SPDX-License-Identifier: Apache-2.0
package dev.factum.store;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ExpectedVersionTest {

    @Test
    void any_is_satisfied_by_every_version() {
        assertThat(ExpectedVersion.any().isSatisfiedBy(0)).isTrue();
        assertThat(ExpectedVersion.any().isSatisfiedBy(7)).isTrue();
    }

    @Test
    void no_stream_is_satisfied_only_by_version_zero() {
        assertThat(ExpectedVersion.noStream().isSatisfiedBy(0)).isTrue();
        assertThat(ExpectedVersion.noStream().isSatisfiedBy(1)).isFalse();
    }

    @Test
    void stream_exists_is_satisfied_by_any_version_above_zero() {
        assertThat(ExpectedVersion.streamExists().isSatisfiedBy(0)).isFalse();
        assertThat(ExpectedVersion.streamExists().isSatisfiedBy(1)).isTrue();
        assertThat(ExpectedVersion.streamExists().isSatisfiedBy(99)).isTrue();
    }

    @Test
    void exactly_is_satisfied_only_by_its_version() {
        ExpectedVersion three = ExpectedVersion.exactly(3);

        assertThat(three.isSatisfiedBy(3)).isTrue();
        assertThat(three.isSatisfiedBy(2)).isFalse();
        assertThat(three.isSatisfiedBy(4)).isFalse();
        assertThat(three.isSatisfiedBy(0)).isFalse();
    }

    @Test
    void exactly_below_one_is_refused_pointing_to_no_stream() {
        assertThatThrownBy(() -> ExpectedVersion.exactly(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was 0").hasMessageContaining("ExpectedVersion.noStream()");
        assertThatThrownBy(() -> ExpectedVersion.exactly(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was -1");
    }

    @Test
    void equal_guards_are_equal_and_print_readably() {
        assertThat(ExpectedVersion.exactly(5)).isEqualTo(ExpectedVersion.exactly(5)).hasToString("version 5");
        assertThat(ExpectedVersion.any()).isSameAs(ExpectedVersion.any()).hasToString("any");
        assertThat(ExpectedVersion.noStream()).hasToString("no stream");
        assertThat(ExpectedVersion.streamExists()).hasToString("stream exists");
    }

    @Test
    void the_wrong_expected_version_exception_carries_its_data_and_says_it() {
        StreamId stream = StreamId.of("Order", "1");
        WrongExpectedVersionException e = new WrongExpectedVersionException(stream, ExpectedVersion.exactly(2), 3);

        assertThat(e.stream()).isEqualTo(stream);
        assertThat(e.expected()).isEqualTo(ExpectedVersion.exactly(2));
        assertThat(e.actual()).isEqualTo(3);
        assertThat(e).hasMessage("append to Order-1 expected version 2 but the stream is at version 3");
        assertThat(new WrongExpectedVersionException(stream, ExpectedVersion.streamExists(), 0))
                .hasMessage("append to Order-1 expected stream exists but the stream is at no stream (version 0)");
    }
}
