// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * One real Kafka broker in KRaft mode (broker and controller in one node), running inside this JVM on 127.0.0.1.
 * For tests and for running by hand ({@link KafkaBrokerMain}); not for production.
 *
 * <p>{@link #create} fixes the ports (free ones unless {@link KafkaBrokerOptions} names them) and the data directory;
 * {@link #start()} formats the directory on first use and returns once the broker accepts clients;
 * {@link #stop()} shuts it down and keeps its data, so a later {@code start()} brings back every topic, record and
 * committed group offset on the same ports; {@link #close()} stops it for good and deletes a temporary data
 * directory. The settings are those a single node needs (internal topics with one replica, no initial rebalance
 * delay); see the module README.
 *
 * <p>The broker is started through Kafka's internal classes ({@code KafkaRaftServer}, {@code StorageTool}), so the
 * build pins the Kafka version. A fatal broker fault halts the JVM, as it would halt a real broker's. Unless the run
 * configures them, Kafka's loggers are set to WARN under slf4j-simple. Thread-safe.
 *
 * @since 0.1
 */
public final class KafkaBroker implements AutoCloseable {
    /** How long {@link #start()} waits for the broker to accept clients before it gives up. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** How long {@link #start()} waits for the ports to be free again after a {@link #stop()}. */
    private static final Duration PORT_WAIT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

    static {
        BrokerLogging.quietUnlessConfigured();
    }

    private final int port;
    private final int controllerPort;
    private final Path dataDir;
    private final boolean temporary;
    private final KafkaBrokerOptions options;
    private KafkaRaftServer server;
    private boolean startedBefore;
    private boolean closed;

    private KafkaBroker(KafkaBrokerOptions options, int port, int controllerPort, Path dataDir, boolean temporary) {
        this.options = options;
        this.port = port;
        this.controllerPort = controllerPort;
        this.dataDir = dataDir;
        this.temporary = temporary;
    }

    /**
     * A broker that is not running yet, its ports and data directory fixed.
     *
     * @throws UncheckedIOException when the data directory cannot be created
     */
    public static KafkaBroker create(KafkaBrokerOptions options) {
        int port = options.port() != 0 ? options.port() : Ports.free();
        int controllerPort = options.controllerPort();
        while (controllerPort == 0 || controllerPort == port) {
            controllerPort = Ports.free();
        }
        try {
            Path dir = options.dataDir().isPresent()
                    ? Files.createDirectories(options.dataDir().get()).toAbsolutePath()
                    : Files.createTempDirectory("factum-kafka-");
            return new KafkaBroker(options, port, controllerPort, dir, options.dataDir().isEmpty());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker's data directory "
                    + options.dataDir().map(Path::toString).orElse("(temporary)") + ": " + e.getMessage(), e);
        }
    }

    /** A started broker on free ports with a temporary data directory: {@code create(defaults()).start()}. */
    public static KafkaBroker startTemporary() {
        return create(KafkaBrokerOptions.defaults()).start();
    }

    /**
     * Starts the broker and waits until it accepts clients (at most {@link #START_TIMEOUT}). The first start formats
     * the data directory; later ones, after {@link #stop()}, reopen it with all its data, on the same ports.
     *
     * @return this broker
     * @throws IllegalStateException when it is running already or was closed
     * @throws KafkaBrokerException  when a port stays taken or the broker fails to start in time
     */
    public synchronized KafkaBroker start() {
        if (closed) throw new IllegalStateException("this broker was closed; create a new one");
        if (server != null) throw new IllegalStateException("the broker is running already on " + bootstrapServers());
        long began = System.nanoTime();
        // after a stop the old sockets may take a moment to go; on the first start a taken port is an error at once
        Duration portWait = startedBefore ? PORT_WAIT : Duration.ZERO;
        awaitFreePort(port, "port", portWait);
        awaitFreePort(controllerPort, "controller port", portWait);
        Path logDir = dataDir.resolve("logs");
        Properties props = BrokerSettings.of(port, controllerPort, logDir, options.properties());
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(props);
            LOG.debug("formatted {} in {} ms", logDir, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        }
        KafkaRaftServer starting = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        FutureTask<Void> startup = new FutureTask<>(starting::startup, null);
        Thread.ofPlatform().name("factum-kafka-broker-start").daemon().start(startup);
        try {
            startup.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutDown(starting);
            throw new KafkaBrokerException("interrupted while starting the Kafka broker on " + bootstrapServers(), e);
        } catch (ExecutionException | TimeoutException e) {
            shutDown(starting);
            String why = e instanceof TimeoutException ? "did not start within " + START_TIMEOUT.toSeconds() + " s"
                    : "failed to start: " + e.getCause();
            throw new KafkaBrokerException("Kafka broker on " + bootstrapServers() + " (data in " + dataDir + ") "
                    + why, e instanceof ExecutionException ? e.getCause() : e);
        }
        server = starting;
        startedBefore = true;
        LOG.debug("Kafka broker started on {} in {} ms (data in {})", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), dataDir);
        return this;
    }

    /** Shuts the broker down and waits until it has; keeps its data for a later {@link #start()}. No-op if stopped. */
    public synchronized void stop() {
        if (server == null) return;
        KafkaRaftServer running = server;
        server = null;
        shutDown(running);
    }

    /** Stops the broker and deletes its data directory if it is a temporary one. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        stop();
        closed = true;
        if (temporary) deleteRecursively(dataDir);
    }

    /** Whether the broker is started and not stopped since. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** The address clients connect to, {@code 127.0.0.1:<port>}; the same across restarts. */
    public String bootstrapServers() {
        return BrokerSettings.HOST + ":" + port;
    }

    /** This broker as a {@link KafkaEndpoint}, the type tests take when any broker will do. */
    public KafkaEndpoint endpoint() {
        return new KafkaEndpoint(bootstrapServers(), false);
    }

    /** The client (PLAINTEXT) port. */
    public int port() {
        return port;
    }

    /** The KRaft controller port. */
    public int controllerPort() {
        return controllerPort;
    }

    /** Where the broker keeps its logs ({@code logs/}) and metadata; absolute. */
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers() + ", controller port " + controllerPort + ", data " + dataDir
                + (isRunning() ? ", running]" : ", stopped]");
    }

    private void format(Properties props) {
        Path config = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "written by factum-kafka-broker to format the data directory");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit;
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exit = StorageTool.execute(new String[]{"format", "--standalone", "-t", Uuid.randomUuid().toString(),
                    "-c", config.toString()}, print);
        } catch (RuntimeException e) {
            throw new KafkaBrokerException("cannot format the Kafka data directory " + dataDir + ": " + e.getMessage(), e);
        }
        if (exit != 0) {
            throw new KafkaBrokerException("cannot format the Kafka data directory " + dataDir + " (exit " + exit + "): "
                    + output.toString(StandardCharsets.UTF_8).strip());
        }
    }

    private static void awaitFreePort(int port, String name, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!Ports.bindable(port)) {
            if (System.nanoTime() >= deadline) {
                throw new KafkaBrokerException("the broker's " + name + " " + port + " on " + BrokerSettings.HOST
                        + " is taken by another process");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaBrokerException("interrupted while waiting for port " + port, e);
            }
        }
    }

    private static void shutDown(KafkaRaftServer running) {
        running.shutdown();
        running.awaitShutdown();
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete the broker's temporary data directory {}: {}", dir, e.getMessage());
        }
    }
}
