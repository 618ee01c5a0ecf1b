// SPDX-License-Identifier: Apache-2.0
package dev.factum.retry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Sleeper} that does not sleep: it records each wait and moves a {@link ManualClock} on by it. */
public final class RecordingSleeper implements Sleeper {
    private final ManualClock clock;
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    public RecordingSleeper(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public void sleep(Duration duration) {
        waits.add(duration);
        clock.advance(duration);
    }

    /** Every wait asked for so far, in order. */
    public List<Duration> waits() {
        return List.copyOf(waits);
    }
}
