// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The shop started through its entry point, {@link ShopMain} — the one {@code shop/run} uses: in-process with
 * {@link ShopMain#start(String[], Map)} (the same parsing and wiring as {@code main}) on a SQLite file in a temporary
 * data directory and a free port, and as a child JVM running {@code main} for what a user sees: the printed URL, the
 * stop on SIGTERM, and one stderr line with exit status 2 for a bad configuration.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShopMainTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CREATE = """
            {"customerId":"c-1","currency":"EUR","items":[{"sku":"SKU-1","quantity":2,"unitPrice":"19.99"}]}""";
    /** Nothing listens on port 1, so a connection is refused at once. */
    private static final String UNREACHABLE_POSTGRES = "jdbc:postgresql://127.0.0.1:1/test?user=postgres&password=secret";

    @TempDir
    Path dir;
    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> send(URI base, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(HttpResponse<String> response, int status) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    /** The files this JVM holds open under {@code dir} (Linux: the links in /proc/self/fd). */
    private static List<Path> openFilesUnder(Path dir) throws IOException {
        Path real = dir.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd);
                } catch (IOException gone) { // the descriptor was closed meanwhile
                    return null;
                }
            }).filter(Objects::nonNull).filter(target -> target.startsWith(real)).toList();
        }
    }

    private static boolean portIsFree(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket(port)) {
            return socket.getLocalPort() == port;
        } catch (BindException e) {
            return false;
        }
    }

    @Nested
    class In_process {
        @Test
        void serves_an_order_from_creation_to_the_list_and_releases_port_and_files_on_close() throws Exception {
            RunningShop shop = ShopMain.start(new String[]{"--port", "0", "--data-dir=" + dir}, Map.of());
            int port = shop.uri().getPort();
            try {
                assertThat(port).isPositive();
                assertThat(shop.where()).isEqualTo("SQLite " + dir.resolve("shop.db").toAbsolutePath());

                HttpResponse<String> created = send(shop.uri(), "POST", "/orders", CREATE);
                String id = json(created, 201).path("id").asText();
                assertThat(created.headers().firstValue("Location")).contains("/orders/" + id);

                JsonNode order = json(send(shop.uri(), "GET", "/orders/" + id, null), 200);
                assertThat(order.path("id").asText()).isEqualTo(id);
                assertThat(order.path("status").asText()).isEqualTo("DRAFT");
                assertThat(order.path("total").asText()).isEqualTo("39.98");

                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> { // the projection catches up
                    JsonNode list = json(send(shop.uri(), "GET", "/orders", null), 200);
                    assertThat(list.path("total").asLong()).isEqualTo(1);
                    assertThat(list.path("items").get(0).path("id").asText()).isEqualTo(id);
                });
                assertThat(json(send(shop.uri(), "GET", "/health", null), 200).path("status").asText()).isEqualTo("UP");
                assertThat(portIsFree(port)).as("the running shop holds its port").isFalse();
                assertThat(openFilesUnder(dir)).as("the running shop holds its SQLite file").isNotEmpty();
            } finally {
                shop.close();
            }

            assertThat(portIsFree(port)).as("port " + port + " is released").isTrue();
            assertThat(openFilesUnder(dir)).as("no file under the data directory stays open").isEmpty();
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(shop.uri().resolve("/health"))
                    .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
        }

        @Test
        void starts_again_on_the_same_data_directory_with_the_orders_written_before() throws Exception {
            String id;
            try (RunningShop first = ShopMain.start(new String[]{"--port=0", "--data-dir", dir.toString()}, Map.of())) {
                id = json(send(first.uri(), "POST", "/orders", CREATE), 201).path("id").asText();
            }
            try (RunningShop second = ShopMain.start(new String[]{"--port=0", "--data-dir=" + dir}, Map.of())) {
                assertThat(json(send(second.uri(), "GET", "/orders/" + id, null), 200).path("id").asText()).isEqualTo(id);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(json(send(second.uri(), "GET", "/orders", null), 200).path("total").asLong()).isEqualTo(1));
            }
        }
    }

    @Nested
    class Bad_configuration {
        private ShopStartException refused(String... args) {
            try {
                RunningShop shop = ShopMain.start(args, Map.of());
                shop.close();
                throw new AssertionError("the shop started with " + List.of(args));
            } catch (ShopStartException e) {
                assertThat(e.getMessage()).doesNotContain("\n");
                return e;
            }
        }

        @Test
        void an_unknown_flag_is_named() {
            assertThat(refused("--port=0", "--verbose").getMessage()).startsWith("unknown argument: --verbose (use --port=");
        }

        @Test
        void a_port_that_is_not_a_port_number_is_named() {
            assertThat(refused("--port=http").getMessage())
                    .isEqualTo("--port must be a port number from 0 to 65535 (0 picks a free one), got 'http'");
            assertThat(refused("--port", "65536").getMessage()).contains("--port must be a port number", "'65536'");
            assertThat(refused("--port").getMessage()).startsWith("--port needs a value");
        }

        @Test
        void a_port_in_use_is_named_and_nothing_stays_open() throws Exception {
            try (ServerSocket taken = new ServerSocket(0)) {
                ShopStartException e = refused("--port=" + taken.getLocalPort(), "--data-dir=" + dir);
                assertThat(e.getMessage()).startsWith("cannot listen on port " + taken.getLocalPort() + ": ");
            }
            assertThat(openFilesUnder(dir)).as("the store opened before the bind failed is closed").isEmpty();
        }

        @Test
        void an_unreachable_postgres_is_named_without_its_password() {
            ShopStartException e = refused("--port=0", "--postgres=" + UNREACHABLE_POSTGRES);
            assertThat(e.getMessage()).startsWith("cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/test")
                    .endsWith(": Connection refused").doesNotContain("secret");
        }

        @Test
        void a_postgres_url_that_is_not_one_is_named() {
            assertThat(refused("--postgres=mysql://db/shop").getMessage())
                    .startsWith("--postgres: not a PostgreSQL JDBC URL").endsWith("mysql://db/shop");
        }

        @Test
        void a_file_and_a_data_directory_together_are_refused() {
            assertThat(refused("--db=" + dir.resolve("a.db"), "--data-dir=" + dir).getMessage())
                    .isEqualTo("give --db or --data-dir, not both");
        }

        @Test
        void a_data_directory_that_cannot_be_created_is_named() throws IOException {
            Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
            assertThat(refused("--port=0", "--data-dir=" + file.resolve("sub")).getMessage())
                    .startsWith("cannot create the directory of the SQLite file " + file.resolve("sub").resolve("shop.db"));
        }
    }

    /** {@code main} in a child JVM, as {@code shop/run} starts it (same classes, no SHOP_* variables). */
    @Nested
    class Main_in_a_child_process {
        private Process launch(String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ShopMain.class.getName()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(dir.resolve("stdout.txt").toFile())
                    .redirectError(dir.resolve("stderr.txt").toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("SHOP_"));
            return builder.start();
        }

        private List<String> lines(String file) throws IOException {
            return Files.readAllLines(dir.resolve(file)).stream().filter(line -> !line.isBlank()).toList();
        }

        private void assertRefused(String expectedStderr, String... args) throws Exception {
            Process process = launch(args);
            boolean exited = process.waitFor(60, TimeUnit.SECONDS);
            if (!exited) process.destroyForcibly();
            assertThat(exited).as("main exits").isTrue();
            assertThat(process.exitValue()).isEqualTo(2);
            assertThat(lines("stderr.txt")).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .startsWith(expectedStderr);
            assertThat(lines("stdout.txt")).isEmpty();
        }

        @Test
        void prints_its_url_serves_and_stops_on_SIGTERM_releasing_the_port() throws Exception {
            Process process = launch("--port=0", "--data-dir=" + dir.resolve("data"));
            try {
                String prefix = "factum shop listening on ";
                String line = await().atMost(Duration.ofSeconds(60)).until(() -> lines("stdout.txt").stream()
                        .filter(l -> l.startsWith(prefix)).findFirst().orElse(null), Objects::nonNull);
                assertThat(line).endsWith(" (events in SQLite " + dir.resolve("data").resolve("shop.db").toAbsolutePath() + ")");
                URI uri = URI.create(line.substring(prefix.length(), line.indexOf(" (events in ")));
                assertThat(json(send(uri, "GET", "/health", null), 200).path("status").asText()).isEqualTo("UP");

                process.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the shutdown hook closes the shop

                assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("main stops").isTrue();
                assertThat(process.exitValue()).isEqualTo(128 + 15);
                assertThat(portIsFree(uri.getPort())).isTrue();
                assertThat(String.join("\n", lines("stderr.txt"))).doesNotContain("failed", "Exception");
            } finally {
                process.destroyForcibly();
            }
        }

        @Test
        void an_unknown_flag_is_one_stderr_line_and_exit_status_2() throws Exception {
            assertRefused("shop: unknown argument: --bogus (use --port=", "--bogus");
        }

        @Test
        void a_bad_port_is_one_stderr_line_and_exit_status_2() throws Exception {
            assertRefused("shop: --port must be a port number from 0 to 65535 (0 picks a free one), got '80x'",
                    "--port=80x");
        }

        @Test
        void an_unreachable_postgres_is_one_stderr_line_and_exit_status_2() throws Exception {
            assertRefused("shop: cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/test",
                    "--port=0", "--postgres=" + UNREACHABLE_POSTGRES);
        }
    }
}
