// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.boot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the curl examples of the repository's README ("Try the shop", the block after
 * {@code <!-- curl-examples -->}) against a shop started by {@link ShopMain#start(String[], Map)} on a fresh SQLite
 * file and a free port, in one POSIX shell, line by line and in order, exactly as written except for the port. The
 * comment after each line is its expected output: the pieces between {@code …} must appear in the output in that
 * order. A read-only line (a {@code curl} without {@code -X}) may be repeated for a few seconds until it matches,
 * because the list and the history come from a projection that trails the writes by milliseconds.
 */
class ShopReadmeExamplesTest {
    private static final String MARKER = "<!-- curl-examples -->";
    private static final String END_OF_OUTPUT = "@@end-of-example@@";
    private static final long READ_RETRY_MILLIS = 10_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void every_curl_example_in_the_readme_prints_what_its_comment_says() throws Exception {
        List<Example> examples = examples(readme());
        assertThat(examples).as("curl examples in the README").hasSizeGreaterThanOrEqualTo(10);

        Path curlHome = Files.createDirectories(dir.resolve("curl"));
        Files.writeString(curlHome.resolve(".curlrc"), "max-time = 10\n"); // a hung request fails the line, not the run

        try (RunningShop shop = ShopMain.start(new String[]{"--port=0", "--db=" + dir.resolve("shop.db")}, Map.of())) {
            String hostPort = shop.uri().getHost() + ":" + shop.uri().getPort();
            ProcessBuilder builder = new ProcessBuilder("sh").redirectErrorStream(true);
            builder.environment().put("CURL_HOME", curlHome.toString());
            Process shell = builder.start();
            try (Writer in = new OutputStreamWriter(shell.getOutputStream(), StandardCharsets.UTF_8);
                 BufferedReader out = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8))) {
                for (Example example : examples) {
                    String command = example.command().replace("localhost:8080", hostPort);
                    long deadline = System.currentTimeMillis() + (example.readOnly() ? READ_RETRY_MILLIS : 0);
                    while (true) {
                        in.write(command + "\nprintf '\\n%s\\n' '" + END_OF_OUTPUT + "'\n");
                        in.flush();
                        String output = readUntilMarker(out);
                        String mismatch = example.mismatch(output);
                        if (mismatch == null) break;
                        if (System.currentTimeMillis() >= deadline) {
                            fail("README line %d:%n  %s%nprinted:%n  %s%nmissing (in order): %s",
                                    example.line(), example.command(), output, mismatch);
                        }
                        Thread.sleep(100);
                    }
                }
                in.write("exit\n");
                in.flush();
            } finally {
                shell.destroy();
            }
        }
    }

    @Test
    void an_expected_piece_that_is_missing_or_out_of_order_is_a_mismatch() {
        Example example = examples(List.of(MARKER, "```sh", "curl -s localhost:8080/x  # \"a\":1 … \"b\":2", "```")).getFirst();
        assertThat(example.command()).isEqualTo("curl -s localhost:8080/x");
        assertThat(example.readOnly()).isTrue();
        assertThat(example.mismatch("{\"a\":1,\"b\":2}")).isNull();
        assertThat(example.mismatch("{\"b\":2,\"a\":1}")).isEqualTo("\"b\":2");
        assertThat(example.mismatch("{\"a\":1}")).isEqualTo("\"b\":2");
    }

    /** One README line: the shell command, and the pieces its output must contain in order. */
    record Example(int line, String command, List<String> expected) {
        boolean readOnly() {
            return command.startsWith("curl ") && !command.contains(" -X ");
        }

        /** The first expected piece that is not found (after the previous one), or {@code null} if all are. */
        String mismatch(String output) {
            int from = 0;
            for (String piece : expected) {
                int at = output.indexOf(piece, from);
                if (at < 0) return piece;
                from = at + piece.length();
            }
            return null;
        }
    }

    private static String readUntilMarker(BufferedReader out) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.equals(END_OF_OUTPUT)) return String.join("\n", lines).strip();
            lines.add(line);
        }
        throw new IOException("the shell ended before the example's output was complete: " + lines);
    }

    static List<Example> examples(List<String> readme) {
        int marker = readme.indexOf(MARKER);
        assertThat(marker).as("%s in the README", MARKER).isNotNegative();
        assertThat(readme.get(marker + 1)).isEqualTo("```sh");
        List<Example> examples = new ArrayList<>();
        for (int i = marker + 2; !readme.get(i).equals("```"); i++) {
            String text = readme.get(i);
            int comment = text.lastIndexOf("  # ");
            assertThat(comment).as("README line %d has no '  # <expected output>' comment: %s", i + 1, text).isPositive();
            List<String> expected = new ArrayList<>();
            for (String piece : text.substring(comment + 4).split("…")) {
                if (!piece.isBlank()) expected.add(piece.strip());
            }
            examples.add(new Example(i + 1, text.substring(0, comment).strip(), expected));
        }
        return examples;
    }

    private static List<String> readme() throws IOException {
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            Path readme = at.resolve("README.md");
            if (Files.isRegularFile(readme) && Files.readString(readme).contains(MARKER)) return Files.readAllLines(readme);
        }
        throw new IOException("no README.md with " + MARKER + " above " + Path.of("").toAbsolutePath());
    }
}
