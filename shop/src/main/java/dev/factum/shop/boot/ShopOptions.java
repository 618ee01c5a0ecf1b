// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.boot;

import dev.factum.shop.order.http.HttpOptions;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link ShopMain} runs the server: the HTTP port and where the events are (PostgreSQL when {@code postgres} is
 * present, else the SQLite file {@code db}).
 *
 * @param port     the HTTP port, 0 to 65535; 0 picks a free one
 * @param db       the SQLite file, its directory created at start-up; unused with {@code postgres}
 * @param postgres a PostgreSQL JDBC URL, used instead of SQLite
 * @param transport how integration events travel: in-process (default), RabbitMQ or Kafka
 * @param rabbitmq the RabbitMQ URI, used with {@link ShopTransport#RABBITMQ}
 * @param kafka    the Kafka bootstrap servers, used with {@link ShopTransport#KAFKA}
 * @param brokerPrefix the first word of every exchange, queue and topic the shop declares on a broker
 * @param paymentDeclineRate the share of charges the payment gateway simulator declines, 0 to 1 (default 0)
 * @param paymentLatency     how long the payment gateway simulator takes per call (default 0)
 * @param paymentRefundFailureRate a fault injection: the share of refunds the payment gateway simulator fails with a
 *                                 technical error, 0 to 1 (default 0), so that a saga's refund compensation keeps
 *                                 failing and parks
 * @since 0.1
 */
public record ShopOptions(int port, Path db, Optional<String> postgres, ShopTransport transport, String rabbitmq,
                          String kafka, String brokerPrefix, double paymentDeclineRate, java.time.Duration paymentLatency,
                          double paymentRefundFailureRate) {
    /** The default SQLite file, relative to the working directory. */
    public static final Path DEFAULT_DB = Path.of("data/shop.db");

    /** The SQLite file's name inside a {@code --data-dir}. */
    public static final String DB_FILE = "shop.db";

    /** RabbitMQ on this machine with its default user. */
    public static final String DEFAULT_RABBITMQ = "amqp://guest:guest@127.0.0.1:5672";

    /** The default first word of broker names. */
    public static final String DEFAULT_BROKER_PREFIX = "factum";

    /** A Kafka broker on this machine, as {@code kafka/run} starts it. */
    public static final String DEFAULT_KAFKA = "127.0.0.1:9092";

    private static final String USAGE = "use --port=<n>, --db=<file>, --data-dir=<dir>, --postgres=<jdbc-url>, "
            + "--transport=in-process|rabbitmq|kafka, --rabbitmq=<amqp-uri>, --kafka=<host:port>, --broker-prefix=<name>, "
            + "--payment-decline-rate=<0..1>, --payment-latency-ms=<n>, --payment-refund-failure-rate=<0..1>, "
            + "or --load N for the load mode";
    private static final java.util.Set<String> FLAGS = java.util.Set.of("--port", "--db", "--data-dir", "--postgres",
            "--transport", "--rabbitmq", "--kafka", "--broker-prefix", "--payment-decline-rate", "--payment-latency-ms",
            "--payment-refund-failure-rate");

    /** @throws IllegalArgumentException if {@code port} is outside 0..65535 */
    public ShopOptions {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, was " + port);
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(postgres, "postgres");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(rabbitmq, "rabbitmq");
        Objects.requireNonNull(kafka, "kafka");
        if (brokerPrefix == null || !brokerPrefix.matches("[A-Za-z0-9._-]{1,50}")) {
            throw new IllegalArgumentException("the broker prefix must be 1-50 letters, digits, '.', '_' or '-', got '"
                    + brokerPrefix + "'");
        }
        if (!(paymentDeclineRate >= 0 && paymentDeclineRate <= 1)) {
            throw new IllegalArgumentException("the payment decline rate must be from 0 to 1, was " + paymentDeclineRate);
        }
        Objects.requireNonNull(paymentLatency, "paymentLatency");
        if (paymentLatency.isNegative()) throw new IllegalArgumentException("the payment latency must not be negative");
        if (!(paymentRefundFailureRate >= 0 && paymentRefundFailureRate <= 1)) {
            throw new IllegalArgumentException("the payment refund failure rate must be from 0 to 1, was "
                    + paymentRefundFailureRate);
        }
    }

    /** Refunds never fail. */
    public ShopOptions(int port, Path db, Optional<String> postgres, ShopTransport transport, String rabbitmq,
                       String kafka, String brokerPrefix, double paymentDeclineRate, java.time.Duration paymentLatency) {
        this(port, db, postgres, transport, rabbitmq, kafka, brokerPrefix, paymentDeclineRate, paymentLatency, 0.0);
    }

    /** A payment gateway simulator that approves every charge at once. */
    public ShopOptions(int port, Path db, Optional<String> postgres, ShopTransport transport, String rabbitmq,
                       String kafka, String brokerPrefix) {
        this(port, db, postgres, transport, rabbitmq, kafka, brokerPrefix, 0.0, java.time.Duration.ZERO);
    }

    /** This configuration with the payment gateway simulator declining {@code rate} of the charges after {@code latency}. */
    public ShopOptions withPayment(double rate, java.time.Duration latency) {
        return new ShopOptions(port, db, postgres, transport, rabbitmq, kafka, brokerPrefix, rate, latency,
                paymentRefundFailureRate);
    }

    /** This configuration with the payment gateway simulator failing {@code rate} of the refunds (a fault injection). */
    public ShopOptions withPaymentRefundFailureRate(double rate) {
        return new ShopOptions(port, db, postgres, transport, rabbitmq, kafka, brokerPrefix, paymentDeclineRate,
                paymentLatency, rate);
    }

    /** In-process transport, default broker addresses. */
    public ShopOptions(int port, Path db, Optional<String> postgres) {
        this(port, db, postgres, ShopTransport.IN_PROCESS, DEFAULT_RABBITMQ, DEFAULT_KAFKA, DEFAULT_BROKER_PREFIX);
    }

    /**
     * Reads {@code --port=<n>}, {@code --db=<file>}, {@code --data-dir=<dir>} (the file {@value #DB_FILE} in it),
     * {@code --postgres=<jdbc-url>}, {@code --transport=in-process|rabbitmq|kafka}, {@code --rabbitmq=<amqp-uri>} and
     * {@code --kafka=<bootstrap-servers>}, {@code --broker-prefix=<name>}, the payment simulator's
     * {@code --payment-decline-rate=<0..1>}, {@code --payment-latency-ms=<n>} and {@code --payment-refund-failure-rate=<0..1>},
     * each also as {@code --flag value}; a flag not given falls back to its
     * variable in {@code env}: {@code SHOP_PORT}, {@code SHOP_DB}, {@code SHOP_DATA_DIR}, {@code SHOP_POSTGRES_URL},
     * {@code SHOP_TRANSPORT}, {@code SHOP_RABBITMQ_URL}, {@code SHOP_KAFKA_BOOTSTRAP}, {@code SHOP_BROKER_PREFIX},
     * {@code SHOP_PAYMENT_DECLINE_RATE}, {@code SHOP_PAYMENT_LATENCY_MS}, {@code SHOP_PAYMENT_REFUND_FAILURE_RATE}. Defaults:
     * port {@value HttpOptions#DEFAULT_PORT}, SQLite file {@code data/shop.db}.
     *
     * @throws IllegalArgumentException with a one-line message naming the bad argument: an unknown flag, a flag
     *                                  without a value, a port that is not a number in 0..65535, or both a file and a
     *                                  data directory
     */
    public static ShopOptions parse(String[] args, Map<String, String> env) {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(env, "env");
        Optional<String> port = Optional.empty();
        Optional<String> db = Optional.empty();
        Optional<String> dataDir = Optional.empty();
        Optional<String> postgres = Optional.empty();
        Optional<String> transport = Optional.empty();
        Optional<String> rabbitmq = Optional.empty();
        Optional<String> kafka = Optional.empty();
        Optional<String> prefix = Optional.empty();
        Optional<String> declineRate = Optional.empty();
        Optional<String> latency = Optional.empty();
        Optional<String> refundFailureRate = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            if (!FLAGS.contains(name)) {
                throw new IllegalArgumentException("unknown argument: " + arg + " (" + USAGE + ")");
            }
            String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(name + " needs a value (" + USAGE + ")");
            }
            if (value.isBlank()) throw new IllegalArgumentException(name + " needs a value (" + USAGE + ")");
            Optional<String> given = Optional.of(value);
            switch (name) {
                case "--port" -> port = given;
                case "--db" -> db = given;
                case "--data-dir" -> dataDir = given;
                case "--transport" -> transport = given;
                case "--rabbitmq" -> rabbitmq = given;
                case "--kafka" -> kafka = given;
                case "--broker-prefix" -> prefix = given;
                case "--payment-decline-rate" -> declineRate = given;
                case "--payment-latency-ms" -> latency = given;
                case "--payment-refund-failure-rate" -> refundFailureRate = given;
                default -> postgres = given;
            }
        }
        int portNumber = port.map(p -> port("--port", p))
                .or(() -> env(env, "SHOP_PORT").map(p -> port("SHOP_PORT", p)))
                .orElse(HttpOptions.DEFAULT_PORT);
        Path file = db.isPresent() || dataDir.isPresent()
                ? file(db, "--db", dataDir, "--data-dir")
                : file(env(env, "SHOP_DB"), "SHOP_DB", env(env, "SHOP_DATA_DIR"), "SHOP_DATA_DIR");
        ShopTransport via = transport.map(t -> ShopTransport.parse("--transport", t))
                .or(() -> env(env, "SHOP_TRANSPORT").map(t -> ShopTransport.parse("SHOP_TRANSPORT", t)))
                .orElse(ShopTransport.IN_PROCESS);
        return new ShopOptions(portNumber, file, postgres.or(() -> env(env, "SHOP_POSTGRES_URL")), via,
                rabbitmq.or(() -> env(env, "SHOP_RABBITMQ_URL")).orElse(DEFAULT_RABBITMQ),
                kafka.or(() -> env(env, "SHOP_KAFKA_BOOTSTRAP")).orElse(DEFAULT_KAFKA),
                prefix.or(() -> env(env, "SHOP_BROKER_PREFIX")).orElse(DEFAULT_BROKER_PREFIX),
                declineRate.or(() -> env(env, "SHOP_PAYMENT_DECLINE_RATE")).map(ShopOptions::rate).orElse(0.0),
                latency.or(() -> env(env, "SHOP_PAYMENT_LATENCY_MS")).map(ShopOptions::latency).orElse(java.time.Duration.ZERO),
                refundFailureRate.or(() -> env(env, "SHOP_PAYMENT_REFUND_FAILURE_RATE")).map(ShopOptions::refundFailureRate)
                        .orElse(0.0));
    }

    private static double rate(String value) {
        try {
            double rate = Double.parseDouble(value.strip());
            if (rate >= 0 && rate <= 1) return rate;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--payment-decline-rate must be a number from 0 to 1 (0.03 declines 3 %), got '"
                + value + "'");
    }

    private static double refundFailureRate(String value) {
        try {
            double rate = Double.parseDouble(value.strip());
            if (rate >= 0 && rate <= 1) return rate;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--payment-refund-failure-rate must be a number from 0 to 1 (a simulator fault "
                + "injection: 1 fails every refund), got '" + value + "'");
    }

    private static java.time.Duration latency(String value) {
        try {
            long millis = Long.parseLong(value.strip());
            if (millis >= 0 && millis <= 60_000) return java.time.Duration.ofMillis(millis);
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--payment-latency-ms must be whole milliseconds from 0 to 60000, got '"
                + value + "'");
    }

    private static int port(String source, String value) {
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 0 && port <= 65535) return port;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(source + " must be a port number from 0 to 65535 (0 picks a free one), got '"
                + value + "'");
    }

    private static Path file(Optional<String> db, String dbSource, Optional<String> dataDir, String dataDirSource) {
        if (db.isPresent() && dataDir.isPresent()) {
            throw new IllegalArgumentException("give " + dbSource + " or " + dataDirSource + ", not both");
        }
        return db.map(Path::of).or(() -> dataDir.map(dir -> Path.of(dir).resolve(DB_FILE))).orElse(DEFAULT_DB);
    }

    private static Optional<String> env(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }
}
