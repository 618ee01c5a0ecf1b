// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka.broker;

import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one Kafka broker by hand until Ctrl-C, for example for the shop's Kafka mode:
 * {@code kafka/run [--port 9092] [--controller-port 9093] [--data-dir data/kafka]}. It prints the bootstrap address
 * once the broker accepts clients. The data directory is kept: the next run with the same directory brings back
 * every topic and record (on the same or other ports).
 *
 * <p>Exit codes: 130 after Ctrl-C (the JVM's code for SIGINT), 1 when the broker cannot start (a port is taken, the
 * directory cannot be used), 2 for a bad argument. Errors are one line on standard error.
 *
 * @since 0.1
 */
public final class KafkaBrokerMain {
    static final String USAGE = "usage: kafka/run [--port PORT] [--controller-port PORT] [--data-dir DIR]\n"
            + "  --port             client port on 127.0.0.1 (default 9092)\n"
            + "  --controller-port  KRaft controller port on 127.0.0.1 (default: port + 1)\n"
            + "  --data-dir         where topics and metadata are kept (default data/kafka, created if missing)";
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "factum-kafka-broker-stop"));
        int code = run(args, System.out, System.err, stop);
        stopped.countDown();
        if (code != 0) System.exit(code);
    }

    /** Parses {@code args}, runs the broker until {@code stop} opens, then stops it; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) {
        KafkaBrokerOptions options;
        try {
            options = parse(args);
        } catch (HelpRequested e) {
            out.println(USAGE);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("kafka-broker: " + e.getMessage());
            err.println("kafka-broker: see kafka/run --help");
            return 2;
        }
        try (KafkaBroker broker = KafkaBroker.create(options)) {
            broker.start();
            out.println("factum kafka broker listening on " + broker.bootstrapServers() + " (controller port "
                    + broker.controllerPort() + ", data in " + broker.dataDir() + "); Ctrl-C stops it");
            out.flush();
            stop.await();
            out.println("factum kafka broker stopping");
        } catch (RuntimeException e) {
            err.println("kafka-broker: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    static KafkaBrokerOptions parse(String[] args) {
        int port = 9092;
        Integer controllerPort = null;
        Path dataDir = Path.of("data", "kafka");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (name.equals("--help") || name.equals("-h")) throw new HelpRequested();
            if (!name.equals("--port") && !name.equals("--controller-port") && !name.equals("--data-dir")) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
            switch (name) {
                case "--port" -> port = portValue(name, value);
                case "--controller-port" -> controllerPort = portValue(name, value);
                default -> dataDir = pathValue(value);
            }
        }
        int controller = controllerPort != null ? controllerPort : port + 1;
        return KafkaBrokerOptions.defaults().withPort(port).withControllerPort(controller).withDataDir(dataDir);
    }

    private static int portValue(String name, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) return port;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a port number from 1 to 65535, was '" + value + "'");
    }

    private static Path pathValue(String value) {
        if (value.isBlank()) throw new IllegalArgumentException("--data-dir must not be empty");
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("--data-dir is not a valid path: " + e.getMessage());
        }
    }

    private static final class HelpRequested extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
    }
}
