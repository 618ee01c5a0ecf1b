// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.test.canary.SkipsOnPurpose;
import dev.factum.test.conformance.AppendConformance;
import dev.factum.test.conformance.StoreFixture;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * STYLE.md §4.5: a suite never skips — a store that cannot do something fails, naming what to override. This test
 * reads the compiled suites for skip mechanisms, proves it would notice one on a canary that skips on purpose, and
 * checks that the in-memory store runs every suite.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SuiteNeverSkipsTest {
    private static final String PACKAGE = AppendConformance.class.getPackageName();

    private static List<String> suiteNames() {
        return SkipScanner.classFilesOfPackage(AppendConformance.class).stream()
                .map(p -> p.getFileName().toString().replace(".class", ""))
                .filter(n -> n.endsWith("Conformance") && !n.contains("$"))
                .toList();
    }

    @Nested
    class The_conformance_suites {

        @Test
        void are_all_there() {
            assertThat(suiteNames()).containsExactlyInAnyOrder("AppendConformance", "ExpectedVersionConformance",
                    "IdempotentAppendConformance", "ReadStreamConformance", "ReadAllConformance",
                    "ConcurrentWritersConformance", "PayloadValidationConformance", "CheckpointStoreConformance",
                    "SubscriptionConformance", "SnapshotStoreConformance", "CommandResultStoreConformance",
                    "IdempotentCommandConformance", "InboxConformance", "DeadLetterStoreConformance",
                    "LeaseStoreConformance");
        }

        @Test
        void use_no_skip_mechanism_in_any_class_of_their_package() {
            List<Path> files = SkipScanner.classFilesOfPackage(AppendConformance.class);
            assertThat(files).hasSizeGreaterThan(9);

            List<String> offences = files.stream().flatMap(f -> SkipScanner.offencesIn(f).stream()).toList();

            assertThat(offences).as("a conformance suite must fail, never skip (STYLE.md §4.5); offenders").isEmpty();
        }

        @Test
        void each_has_an_abstract_create_fixture_method() throws ReflectiveOperationException {
            for (String name : suiteNames()) {
                Class<?> suite = Class.forName(PACKAGE + "." + name);
                Method create = createFixtureOf(suite);
                assertThat(Modifier.isAbstract(suite.getModifiers())).as("%s is abstract", name).isTrue();
                assertThat(Modifier.isPublic(suite.getModifiers())).as("%s is public", name).isTrue();
                assertThat(Modifier.isAbstract(create.getModifiers())).as("%s.createFixture() is abstract", name).isTrue();
                assertThat(Modifier.isProtected(create.getModifiers())).as("%s.createFixture() is protected", name).isTrue();
                assertThat(create.getReturnType()).isEqualTo(StoreFixture.class);
            }
        }

        @Test
        void each_run_on_the_in_memory_store() {
            for (String name : suiteNames()) {
                String runner = InMemoryStoreFixture.class.getPackageName() + ".InMemory" + name + "Test";
                Class<?> suite;
                Class<?> test;
                try {
                    suite = Class.forName(PACKAGE + "." + name);
                    test = Class.forName(runner);
                } catch (ClassNotFoundException e) {
                    throw new AssertionError(name + " has no in-memory run: add " + runner, e);
                }
                assertThat(test.getSuperclass()).as("%s extends %s", runner, name).isEqualTo(suite);
            }
        }
    }

    @Nested
    class The_scanner {

        @Test
        void flags_every_way_the_canary_skips() {
            assertFlagged(SkipsOnPurpose.DisabledTest.class, "@Disabled");
            assertFlagged(SkipsOnPurpose.AssumesTrue.class, "assumeTrue");
            assertFlagged(SkipsOnPurpose.AssumesFalse.class, "assumeFalse");
            assertFlagged(SkipsOnPurpose.Aborts.class, "abort");
            assertFlagged(SkipsOnPurpose.ThrowsAborted.class, "TestAbortedException");
            assertFlagged(SkipsOnPurpose.RunsOnlyWithAVariable.class, "conditional");
            assertFlagged(SkipsOnPurpose.AssertJAssumption.class, "AssertJ Assumptions");
        }

        @Test
        void flags_the_canary_as_a_whole_naming_it() {
            assertThat(SkipScanner.offences(SkipsOnPurpose.class))
                    .isNotEmpty()
                    .allSatisfy(o -> assertThat(o).startsWith("SkipsOnPurpose"))
                    .anySatisfy(o -> assertThat(o).contains("SkipsOnPurpose$DisabledTest"));
        }

        @Test
        void does_not_flag_a_test_that_fails_instead() {
            assertThat(SkipScanner.offences(SkipsOnPurpose.Clean.class)).isEmpty();
        }

        private void assertFlagged(Class<?> canary, String mechanism) {
            assertThat(SkipScanner.offencesIn(classFile(canary)))
                    .as("the scanner must flag %s", canary.getName())
                    .anySatisfy(o -> assertThat(o).startsWith(SkipScanner.binaryName(canary)).contains(mechanism));
        }

        private Path classFile(Class<?> type) {
            String binary = SkipScanner.binaryName(type);
            return SkipScanner.classFilesOfPackage(SkipsOnPurpose.class).stream()
                    .filter(p -> p.getFileName().toString().equals(binary + ".class"))
                    .findFirst().orElseThrow();
        }
    }

    /** The {@code createFixture()} a suite declares or inherits from {@code StoreSuite}. */
    private static Method createFixtureOf(Class<?> suite) throws NoSuchMethodException {
        for (Class<?> c = suite; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredMethod("createFixture");
            } catch (NoSuchMethodException e) {
                // look in the superclass
            }
        }
        throw new NoSuchMethodException(suite.getName() + ".createFixture()");
    }
}
