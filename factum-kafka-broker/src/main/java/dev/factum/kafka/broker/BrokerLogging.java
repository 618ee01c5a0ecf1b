// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka.broker;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;

/**
 * Keeps Kafka's own loggers at WARN under slf4j-simple, unless the run already chose a level for them (a system
 * property or a {@code simplelogger.properties} entry for the same logger): a broker and its clients log hundreds of
 * INFO lines per start (every configuration value, every partition change), which bury a failing test's own output.
 * Other SLF4J bindings ignore these properties; configure them as usual.
 */
final class BrokerLogging {
    private static final String PREFIX = "org.slf4j.simpleLogger.log.";
    private static final List<String> KAFKA_LOGGERS = List.of("kafka", "org.apache.kafka", "state.change.logger");

    private BrokerLogging() {
    }

    /** Takes effect for loggers created afterwards: call it before Kafka's classes are first used. */
    static void quietUnlessConfigured() {
        Properties file = simpleLoggerFile();
        for (String logger : KAFKA_LOGGERS) {
            String key = PREFIX + logger;
            if (System.getProperty(key) == null && file.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }

    private static Properties simpleLoggerFile() {
        Properties file = new Properties();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = loader == null ? null : loader.getResourceAsStream("simplelogger.properties")) {
            if (in != null) file.load(in);
        } catch (IOException | IllegalArgumentException e) {
            // an unreadable file is slf4j-simple's to report; without it, quiet is the right default
        }
        return file;
    }
}
