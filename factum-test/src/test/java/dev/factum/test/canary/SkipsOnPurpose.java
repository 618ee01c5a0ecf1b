// SPDX-License-Identifier: Apache-2.0
package dev.factum.test.canary;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.opentest4j.TestAbortedException;

import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A canary for {@code SuiteNeverSkipsTest}: each nested class skips in one way, on purpose, and the scanner must flag
 * every one of them (and not {@link Clean}). Its name keeps it out of the test run; never run it.
 */
public final class SkipsOnPurpose {
    private SkipsOnPurpose() {
    }

    public static class DisabledTest {
        @Test
        @Disabled("skips on purpose")
        void skipped() {
        }
    }

    public static class AssumesTrue {
        @Test
        void skipped() {
            assumeTrue(System.getenv("NO_SUCH_SERVER") != null, "no server");
        }
    }

    public static class AssumesFalse {
        @Test
        void skipped() {
            assumeFalse(true);
        }
    }

    public static class Aborts {
        @Test
        void skipped() {
            Assumptions.abort("skips on purpose");
        }
    }

    public static class ThrowsAborted {
        @Test
        void skipped() {
            throw new TestAbortedException("skips on purpose");
        }
    }

    public static class RunsOnlyWithAVariable {
        @Test
        @EnabledIfEnvironmentVariable(named = "NO_SUCH_SERVER", matches = ".+")
        void skipped() {
        }
    }

    public static class AssertJAssumption {
        @Test
        void skipped() {
            org.assertj.core.api.Assumptions.assumeThat(System.getenv("NO_SUCH_SERVER")).isNotNull();
        }
    }

    /** Fails instead of skipping: the scanner must not flag it. */
    public static class Clean {
        @Test
        void fails_when_the_server_is_missing() {
            org.assertj.core.api.Assertions.assertThat(System.getenv("PATH")).as("PATH is set").isNotNull();
        }
    }
}
