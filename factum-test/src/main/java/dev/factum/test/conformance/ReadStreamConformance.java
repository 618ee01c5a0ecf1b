// SPDX-License-Identifier: Apache-2.0
package dev.factum.test.conformance;

import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static dev.factum.test.conformance.TestEvents.freshStream;
import static dev.factum.test.conformance.TestEvents.ids;
import static dev.factum.test.conformance.TestEvents.newIds;
import static dev.factum.test.conformance.TestEvents.numbered;
import static dev.factum.test.conformance.TestEvents.positions;
import static dev.factum.test.conformance.TestEvents.versions;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading one stream: forward and backward, from a version, with a limit; a missing stream reads empty; the stream's
 * current version. Subclass it once per store, overriding {@link #createFixture()} only.
 *
 * @since 0.1
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class ReadStreamConformance extends StoreSuite {
    /** A stream of five events, interleaved with events of other streams. */
    protected StreamId stream;
    protected List<NewEvent> appended;

    @BeforeEach
    protected final void appendInterleavedStreams() {
        String id = UUID.randomUUID().toString();
        stream = StreamId.of("Account", id);
        appended = numbered("Happened", 1, 5);
        // neighbours whose names share a prefix with the stream, or its id under another category
        store.append(StreamId.of("Account", id + "0"), ExpectedVersion.any(), numbered("Noise", 1, 2));
        store.append(stream, ExpectedVersion.noStream(), appended.subList(0, 2));
        store.append(StreamId.of("AccountView", id), ExpectedVersion.any(), numbered("Noise", 3, 1));
        store.append(stream, ExpectedVersion.exactly(2), appended.subList(2, 5));
        store.append(StreamId.of("Account", id.substring(0, 8)), ExpectedVersion.any(), numbered("Noise", 4, 1));
    }

    private List<RecordedEvent> read(ReadStreamOptions options) {
        return store.readStream(stream, options);
    }

    @Nested
    class Forward {

        @Test
        void returns_the_whole_stream_oldest_first_and_nothing_of_other_streams() {
            List<RecordedEvent> events = read(ReadStreamOptions.forward());

            assertThat(ids(events)).containsExactlyElementsOf(newIds(appended));
            assertThat(versions(events)).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(positions(events)).isSorted().doesNotHaveDuplicates();
            assertThat(events).allSatisfy(e -> assertThat(e.stream()).isEqualTo(stream));
        }

        @Test
        void starts_at_the_given_version_inclusive() {
            assertThat(versions(read(ReadStreamOptions.forward().fromVersion(3)))).containsExactly(3L, 4L, 5L);
        }

        @Test
        void returns_at_most_the_limit() {
            assertThat(versions(read(ReadStreamOptions.forward().limit(2)))).containsExactly(1L, 2L);
        }

        @Test
        void combines_a_start_version_and_a_limit() {
            assertThat(versions(read(ReadStreamOptions.forward().fromVersion(2).limit(3)))).containsExactly(2L, 3L, 4L);
        }

        @Test
        void from_beyond_the_last_version_is_empty() {
            assertThat(read(ReadStreamOptions.forward().fromVersion(6))).isEmpty();
            assertThat(read(ReadStreamOptions.forward().fromVersion(Long.MAX_VALUE))).isEmpty();
        }

        @Test
        void the_last_version_alone() {
            assertThat(versions(read(ReadStreamOptions.forward().fromVersion(5)))).containsExactly(5L);
        }
    }

    @Nested
    class Backward {

        @Test
        void returns_the_whole_stream_newest_first() {
            List<RecordedEvent> events = read(ReadStreamOptions.backward());

            assertThat(versions(events)).containsExactly(5L, 4L, 3L, 2L, 1L);
            assertThat(ids(events)).containsExactlyElementsOf(newIds(appended).reversed());
        }

        @Test
        void starts_at_the_given_version_inclusive() {
            assertThat(versions(read(ReadStreamOptions.backward().fromVersion(3)))).containsExactly(3L, 2L, 1L);
        }

        @Test
        void returns_at_most_the_limit() {
            assertThat(versions(read(ReadStreamOptions.backward().limit(2)))).containsExactly(5L, 4L);
        }

        @Test
        void combines_a_start_version_and_a_limit() {
            assertThat(versions(read(ReadStreamOptions.backward().fromVersion(4).limit(2)))).containsExactly(4L, 3L);
        }

        @Test
        void from_beyond_the_last_version_starts_at_the_last_event() {
            assertThat(versions(read(ReadStreamOptions.backward().fromVersion(100)))).containsExactly(5L, 4L, 3L, 2L, 1L);
        }

        @Test
        void the_first_version_alone() {
            assertThat(versions(read(ReadStreamOptions.backward().fromVersion(1)))).containsExactly(1L);
        }
    }

    @Nested
    class A_missing_stream {

        @Test
        void reads_empty_forward_and_backward() {
            StreamId missing = freshStream("Account");

            assertThat(store.readStream(missing, ReadStreamOptions.forward())).isEmpty();
            assertThat(store.readStream(missing, ReadStreamOptions.backward())).isEmpty();
        }

        @Test
        void is_at_version_zero() {
            assertThat(store.streamVersion(freshStream("Account"))).isZero();
        }
    }

    @Nested
    class Stream_version {

        @Test
        void is_the_version_of_the_last_event() {
            assertThat(store.streamVersion(stream)).isEqualTo(5);
        }

        @Test
        void follows_each_append() {
            store.append(stream, ExpectedVersion.exactly(5), numbered("Happened", 6, 2));

            assertThat(store.streamVersion(stream)).isEqualTo(7);
            assertThat(read(ReadStreamOptions.backward().limit(1)).get(0).version()).isEqualTo(7);
        }

        @Test
        void counts_only_this_stream() {
            assertThat(store.streamVersion(StreamId.of("AccountView", stream.id()))).isEqualTo(1);
        }
    }
}
