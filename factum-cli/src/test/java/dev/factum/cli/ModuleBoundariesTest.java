// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The boundaries the Maven enforcer cannot see, checked over the sources of the whole reactor (STYLE.md §5 and §6):
 * applications use only the exported API — never a {@code .internal} package — and the library knows nothing of
 * the reference shop's domain. Lives here because this module builds after every library module.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ModuleBoundariesTest {
    private static final Pattern INTERNAL_IMPORT = Pattern.compile("^import\\s+(static\\s+)?dev\\.factum\\.[\\w.]*internal\\.", Pattern.MULTILINE);
    private static final Pattern SHOP_WORDS = Pattern.compile("\\b(Order|Payment|Inventory|Shipping)(?!ing\\b)\\w*");
    /** Library modules may share the store SPI in {@code dev.factum.store.internal}; applications may not. */
    private static final List<String> APPLICATION_MODULES = List.of("factum-cli", "benchmarks", "shop");

    private final Path root = repositoryRoot();

    @Test
    void applications_never_import_an_internal_package() {
        List<String> offenders = APPLICATION_MODULES.stream()
                .map(m -> root.resolve(m).resolve("src"))
                .filter(Files::isDirectory)
                .flatMap(ModuleBoundariesTest::javaFiles)
                .filter(f -> INTERNAL_IMPORT.matcher(read(f)).find())
                .map(f -> root.relativize(f).toString())
                .toList();
        assertThat(offenders).as("application sources importing dev.factum..internal (use the exported API)").isEmpty();
    }

    @Test
    void library_main_sources_hold_no_shop_domain_words() {
        List<String> offenders = libraryModules()
                .map(m -> m.resolve("src/main"))
                .filter(Files::isDirectory)
                .flatMap(ModuleBoundariesTest::javaFiles)
                .filter(f -> SHOP_WORDS.matcher(read(f)).find())
                .map(f -> root.relativize(f) + ": " + firstMatch(f))
                .toList();
        assertThat(offenders).as("the library must know nothing of orders, payments, inventory or shipping").isEmpty();
    }

    @Test
    void the_checks_see_the_library_sources() {
        assertThat(libraryModules().map(p -> p.getFileName().toString()))
                .contains("factum-core", "factum-sqlite", "factum-postgres", "factum-test");
        assertThat(libraryModules().flatMap(m -> javaFiles(m.resolve("src/main"))).count()).isGreaterThan(20);
    }

    private Stream<Path> libraryModules() {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory)
                    .filter(d -> d.getFileName().toString().startsWith("factum-"))
                    .filter(d -> !APPLICATION_MODULES.contains(d.getFileName().toString()))
                    .filter(d -> Files.exists(d.resolve("pom.xml")))
                    .toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<Path> javaFiles(Path dir) {
        if (!Files.isDirectory(dir)) return Stream.empty();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstMatch(Path file) {
        var m = SHOP_WORDS.matcher(read(file));
        return m.find() ? m.group() : "";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("factum-core")))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("repository root above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }
}
