// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka.broker;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;

/**
 * Gives JUnit 5 tests a real Kafka broker. Register it with {@code @ExtendWith(KafkaBrokerExtension.class)} (or a
 * {@code @RegisterExtension static} field) and take either parameter, in a test, a lifecycle method or a constructor:
 * <ul>
 *   <li>{@link KafkaEndpoint}: the <b>shared</b> broker, one per test JVM, started on first use and stopped (its
 *       temporary data deleted) when the test run ends. Tests share it, so each uses its own topic and group names.
 *       If the environment variable {@value #BOOTSTRAP_ENV} is set, the shared broker is that external one instead
 *       and none is started.</li>
 *   <li>{@link KafkaBroker}: a <b>private</b> broker, started for the asking test (or class, when taken by a
 *       {@code @BeforeAll} method or a constructor) and closed with it. Take one to stop or restart the broker;
 *       never stop the shared one.</li>
 * </ul>
 * {@link #shared(ExtensionContext)} and {@link #privateBroker(ExtensionContext)} do the same for other extensions.
 *
 * @since 0.1
 */
public final class KafkaBrokerExtension implements ParameterResolver {
    /** Names an external broker ({@code host:port[,host:port]}) to use as the shared one instead of starting one. */
    public static final String BOOTSTRAP_ENV = "FACTUM_TEST_KAFKA_BOOTSTRAP";
    private static final Namespace NAMESPACE = Namespace.create(KafkaBrokerExtension.class);
    private static final int REACHABLE_TIMEOUT_MILLIS = 5_000;

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KafkaEndpoint.class || type == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        try {
            return parameter.getParameter().getType() == KafkaEndpoint.class ? shared(context) : privateBroker(context);
        } catch (RuntimeException e) {
            throw new ParameterResolutionException("no Kafka broker for " + parameter.getParameter() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The shared broker of this test run, started now if it is the first use. */
    public static KafkaEndpoint shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(SharedBroker.class, key -> SharedBroker.open(System.getenv(BOOTSTRAP_ENV)),
                        SharedBroker.class)
                .endpoint();
    }

    /** A started private broker, closed (and its temporary data deleted) when {@code context} ends. */
    public static KafkaBroker privateBroker(ExtensionContext context) {
        KafkaBroker broker = KafkaBroker.startTemporary();
        context.getStore(NAMESPACE).put(broker, broker);
        return broker;
    }

    /** The shared broker: started here, or external. The root store closes it when the test run ends. */
    record SharedBroker(KafkaEndpoint endpoint, Optional<KafkaBroker> broker) implements AutoCloseable {

        /** {@code external} is the value of {@value #BOOTSTRAP_ENV}: null or blank starts a broker. */
        static SharedBroker open(String external) {
            if (external == null || external.isBlank()) {
                KafkaBroker started = KafkaBroker.startTemporary();
                return new SharedBroker(started.endpoint(), Optional.of(started));
            }
            BrokerLogging.quietUnlessConfigured();
            String servers = external.strip();
            checkReachable(servers);
            return new SharedBroker(new KafkaEndpoint(servers, true), Optional.empty());
        }

        @Override
        public void close() {
            broker.ifPresent(KafkaBroker::close);
        }

        /** Fails at once, naming the variable, rather than letting every client time out. */
        private static void checkReachable(String servers) {
            String first = servers.split(",")[0].strip();
            int colon = first.lastIndexOf(':');
            int port;
            try {
                port = colon > 0 ? Integer.parseInt(first.substring(colon + 1)) : -1;
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new KafkaBrokerException(BOOTSTRAP_ENV + " must be host:port[,host:port...], was '" + servers + "'");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(first.substring(0, colon), port), REACHABLE_TIMEOUT_MILLIS);
            } catch (IOException e) {
                throw new KafkaBrokerException("the Kafka broker named by " + BOOTSTRAP_ENV + "=" + servers
                        + " does not accept connections (" + e.getMessage() + "); start it or unset the variable to "
                        + "let the tests start their own");
            }
        }
    }
}
