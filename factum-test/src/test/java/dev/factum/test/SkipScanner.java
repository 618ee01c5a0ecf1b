// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the ways a JUnit test can skip instead of fail, in compiled classes: it reads each class file's constant pool
 * (every class, annotation and method it refers to) and reports references to skip mechanisms. Bytecode, not source,
 * so fully qualified names, static imports and nested classes cannot hide one.
 */
final class SkipScanner {
    /** Referenced types (internal names; a prefix matches a whole package) that make a test skip. */
    private static final Map<String, String> TYPES = Map.of(
            "org/junit/jupiter/api/Disabled", "@Disabled",
            "org/junit/jupiter/api/condition/", "a conditional @Enabled…/@Disabled… annotation",
            "org/junit/jupiter/api/Assumptions", "JUnit Assumptions (assumeTrue/assumeFalse/assumingThat/abort)",
            "org/opentest4j/TestAbortedException", "TestAbortedException (abort)",
            "org/assertj/core/api/Assumptions", "AssertJ Assumptions (assumeThat)",
            "org/assertj/core/api/BDDAssumptions", "AssertJ BDDAssumptions (given)",
            "org/junit/jupiter/api/extension/ExecutionCondition", "a custom ExecutionCondition",
            "org/junit/Assume", "JUnit 4 Assume",
            "org/junit/Ignore", "JUnit 4 @Ignore");
    /** Method names that skip, whichever class declares them. */
    private static final Set<String> METHODS = Set.of("assumeTrue", "assumeFalse", "assumingThat", "assumeThat", "abort");

    private SkipScanner() {
    }

    /** Every skip mechanism the class or any class nested in it refers to, as "Class: mechanism". */
    static List<String> offences(Class<?> type) {
        Path file = classFile(type);
        String prefix = binaryName(type);
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            List<String> offences = new ArrayList<>();
            siblings.filter(p -> p.getFileName().toString().equals(prefix + ".class")
                            || p.getFileName().toString().startsWith(prefix + "$"))
                    .sorted().forEach(p -> offences.addAll(offencesIn(p)));
            return offences;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The class files of the package that holds {@code anyClassOfIt}, nested classes included. */
    static List<Path> classFilesOfPackage(Class<?> anyClassOfIt) {
        try (Stream<Path> files = Files.list(classFile(anyClassOfIt).getParent())) {
            return files.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> offencesIn(Path classFile) {
        String name = classFile.getFileName().toString().replace(".class", "");
        Set<String> offences = new LinkedHashSet<>();
        for (String constant : utf8Constants(classFile)) {
            TYPES.forEach((type, mechanism) -> {
                if (constant.contains(type)) offences.add(name + ": " + mechanism + " via " + constant);
            });
            if (METHODS.contains(constant)) offences.add(name + ": a call of " + constant + "(…)");
        }
        return List.copyOf(offences);
    }

    private static Path classFile(Class<?> type) {
        URL url = type.getResource(binaryName(type) + ".class");
        if (url == null || !"file".equals(url.getProtocol())) {
            throw new IllegalStateException("the scanner reads class directories; " + type.getName() + " is at " + url);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The class file's name without package, e.g. {@code SkipsOnPurpose$Aborts}. */
    static String binaryName(Class<?> type) {
        return type.getName().substring(type.getName().lastIndexOf('.') + 1);
    }

    /** The CONSTANT_Utf8 entries of a class file's constant pool (JVMS §4.4). */
    private static List<String> utf8Constants(Path classFile) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(classFile)))) {
            if (in.readInt() != 0xCAFEBABE) throw new IllegalStateException(classFile + " is not a class file");
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            List<String> utf8 = new ArrayList<>();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8.add(in.readUTF());
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                    case 5, 6 -> {
                        in.skipNBytes(8);
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                    case 15 -> in.skipNBytes(3);
                    default -> throw new IllegalStateException("unknown constant pool tag " + tag + " in " + classFile);
                }
            }
            return utf8;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
