// SPDX-License-Identifier: Apache-2.0
package dev.factum.test.conformance;

import dev.factum.event.RecordedEvent;
import dev.factum.store.AppendResult;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.StreamId;
import dev.factum.store.WrongExpectedVersionException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.factum.test.conformance.TestEvents.events;
import static dev.factum.test.conformance.TestEvents.freshStream;
import static dev.factum.test.conformance.TestEvents.readStream;
import static dev.factum.test.conformance.TestEvents.versions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The optimistic-concurrency guard: each {@link ExpectedVersion} accepted where it holds and refused where it does
 * not, with a {@link WrongExpectedVersionException} that carries stream, expected and actual, and nothing written
 * (invariant 1: the guard is checked inside the append's transaction). Subclass it once per store, overriding
 * {@link #createFixture()} only.
 *
 * @since 0.1
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class ExpectedVersionConformance extends StoreSuite {
    private static final String NOTHING_WRITTEN = "invariant 1: a refused append writes nothing";

    /** A stream holding {@code count} events. */
    private StreamId streamWith(int count) {
        StreamId stream = freshStream("Account");
        if (count > 0) store.append(stream, ExpectedVersion.noStream(), events(count));
        return stream;
    }

    /** Appends with a guard that must fail; checks the exception's data and that nothing was written. */
    private void assertRefused(StreamId stream, ExpectedVersion expected, long actual) {
        List<RecordedEvent> before = readStream(store, stream);
        Position head = store.headPosition();

        WrongExpectedVersionException refused = catchThrowableOfType(WrongExpectedVersionException.class,
                () -> store.append(stream, expected, events(2)));

        assertThat(refused).as("append to %s with %s at version %d must be refused", stream, expected, actual).isNotNull();
        assertThat(refused.stream()).isEqualTo(stream);
        assertThat(refused.expected()).isEqualTo(expected);
        assertThat(refused.actual()).isEqualTo(actual);
        assertThat(refused).hasMessageContaining(stream.toString());
        assertThat(readStream(store, stream)).as(NOTHING_WRITTEN).isEqualTo(before);
        assertThat(store.streamVersion(stream)).as(NOTHING_WRITTEN).isEqualTo(actual);
        assertThat(store.headPosition()).as(NOTHING_WRITTEN).isEqualTo(head);
    }

    private void assertAccepted(StreamId stream, ExpectedVersion expected, long actual) {
        AppendResult result = store.append(stream, expected, events(2));

        assertThat(result.firstVersion()).isEqualTo(actual + 1);
        assertThat(result.lastVersion()).isEqualTo(actual + 2);
        assertThat(store.streamVersion(stream)).isEqualTo(actual + 2);
        assertThat(versions(readStream(store, stream))).hasSize((int) actual + 2);
    }

    @Nested
    class Any {

        @Test
        void is_accepted_on_a_new_stream() {
            assertAccepted(streamWith(0), ExpectedVersion.any(), 0);
        }

        @Test
        void is_accepted_on_an_existing_stream() {
            assertAccepted(streamWith(3), ExpectedVersion.any(), 3);
        }
    }

    @Nested
    class No_stream {

        @Test
        void is_accepted_on_a_new_stream() {
            assertAccepted(streamWith(0), ExpectedVersion.noStream(), 0);
        }

        @Test
        void is_refused_on_an_existing_stream_and_writes_nothing() {
            assertRefused(streamWith(2), ExpectedVersion.noStream(), 2);
        }

        @Test
        void lets_exactly_one_of_two_creators_win() {
            StreamId stream = streamWith(0);
            store.append(stream, ExpectedVersion.noStream(), events(1));

            assertRefused(stream, ExpectedVersion.noStream(), 1);
        }
    }

    @Nested
    class Stream_exists {

        @Test
        void is_refused_on_a_new_stream_and_writes_nothing() {
            assertRefused(streamWith(0), ExpectedVersion.streamExists(), 0);
        }

        @Test
        void is_accepted_on_an_existing_stream() {
            assertAccepted(streamWith(1), ExpectedVersion.streamExists(), 1);
        }
    }

    @Nested
    class Exactly {

        @Test
        void is_accepted_at_the_current_version() {
            assertAccepted(streamWith(3), ExpectedVersion.exactly(3), 3);
        }

        @Test
        void append_with_stale_expected_version_is_rejected_and_writes_nothing() {
            assertRefused(streamWith(3), ExpectedVersion.exactly(2), 3);
        }

        @Test
        void a_version_ahead_of_the_stream_is_refused_and_writes_nothing() {
            assertRefused(streamWith(3), ExpectedVersion.exactly(4), 3);
        }

        @Test
        void any_version_on_a_new_stream_is_refused_with_actual_zero() {
            assertRefused(streamWith(0), ExpectedVersion.exactly(1), 0);
        }

        @Test
        void the_next_expected_version_of_a_result_is_accepted_and_the_previous_one_is_not() {
            StreamId stream = streamWith(0);
            AppendResult first = store.append(stream, ExpectedVersion.noStream(), events(2));
            AppendResult second = store.append(stream, first.nextExpectedVersion(), events(1));

            assertThat(second.firstVersion()).isEqualTo(3);
            assertRefused(stream, first.nextExpectedVersion(), 3);
        }

        @Test
        void a_refusal_in_one_stream_does_not_affect_another() {
            StreamId refused = streamWith(2);
            StreamId other = streamWith(2);

            assertRefused(refused, ExpectedVersion.exactly(1), 2);
            assertAccepted(other, ExpectedVersion.exactly(2), 2);
        }
    }
}
