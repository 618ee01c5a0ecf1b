// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.load;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What one load run does: how many orders, how many concurrent workers, and on which event store (PostgreSQL when
 * {@code postgres} is present, else a SQLite file: {@code db}, or a fresh temporary file when {@code temp}).
 *
 * @param orders      orders to drive to DELIVERED, at least 1
 * @param concurrency concurrent workers (virtual threads), at least 1
 * @param db          the SQLite file when neither {@code postgres} nor {@code temp}
 * @param temp        use a temporary SQLite file, deleted afterwards
 * @param postgres    a PostgreSQL JDBC URL, used instead of SQLite
 * @since 0.1
 */
public record LoadOptions(int orders, int concurrency, Path db, boolean temp, Optional<String> postgres) {
    /** The default SQLite file, as for the server mode. */
    public static final Path DEFAULT_DB = Path.of("data/shop.db");

    /** The default number of workers. */
    public static final int DEFAULT_CONCURRENCY = 16;

    /** @throws IllegalArgumentException if {@code orders} or {@code concurrency} is below 1 */
    public LoadOptions {
        if (orders < 1) throw new IllegalArgumentException("--load must be a positive number of orders, got " + orders);
        if (concurrency < 1) {
            throw new IllegalArgumentException("--concurrency must be a positive number of workers, got " + concurrency);
        }
        if (db == null || postgres == null) throw new NullPointerException("db and postgres must not be null");
    }

    /**
     * Reads {@code --load N [--concurrency C] [--db=<file> | --temp-db | --postgres=<jdbc-url>]}; each flag with a
     * value also as {@code --flag=value}. {@code SHOP_DB} and {@code SHOP_POSTGRES_URL} apply as in the server mode.
     *
     * @throws IllegalArgumentException with a one-line message naming the bad argument
     */
    public static LoadOptions parse(String[] args) {
        Integer orders = null;
        int concurrency = DEFAULT_CONCURRENCY;
        Optional<String> db = env("SHOP_DB");
        Optional<String> postgres = env("SHOP_POSTGRES_URL");
        boolean temp = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            boolean inline = arg.contains("=");
            switch (name) {
                case "--temp-db" -> temp = true;
                case "--load", "--concurrency", "--db", "--postgres" -> {
                    String value;
                    if (inline) {
                        value = arg.substring(arg.indexOf('=') + 1);
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        throw new IllegalArgumentException(name + " needs a value");
                    }
                    switch (name) {
                        case "--load" -> orders = number(name, value);
                        case "--concurrency" -> concurrency = number(name, value);
                        case "--db" -> db = Optional.of(value);
                        default -> postgres = Optional.of(value);
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument: " + arg
                        + " (use --load N, --concurrency C, --db=<file>, --temp-db, --postgres=<jdbc-url>)");
            }
        }
        if (orders == null) throw new IllegalArgumentException("--load N is required");
        return new LoadOptions(orders, concurrency, Path.of(db.orElse(DEFAULT_DB.toString())), temp, postgres);
    }

    /** Whether {@code args} ask for the load mode rather than the server. */
    public static boolean requested(String[] args) {
        for (String arg : args) if (arg.equals("--load") || arg.startsWith("--load=")) return true;
        return false;
    }

    private static int number(String flag, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number, got '" + value + "'");
        }
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }
}
