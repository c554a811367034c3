package dk.casejourney.common;

import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;

/**
 * Refuses to start when Axon Server cannot be reached. Axon's connector would otherwise keep retrying in the
 * background while the application reports itself up, and every command would fail until the server appears.
 * Runs once all beans exist and before Axon's processors and buses start.
 */
@Component
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "true")
class AxonServerStartupCheck implements SmartInitializingSingleton {

    private final AxonServerConnectionManager connections;
    private final AxonServerConfiguration configuration;
    private final Duration timeout;

    AxonServerStartupCheck(AxonServerConnectionManager connections, AxonServerConfiguration configuration,
                           @Value("${ledger.axonserver.startup-timeout:PT10S}") Duration timeout) {
        this.connections = connections;
        this.configuration = configuration;
        this.timeout = timeout;
    }

    @Override
    public void afterSingletonsInstantiated() {
        String context = connections.getDefaultContext();
        Instant deadline = Instant.now().plus(timeout);
        // Asking for the connection starts the connector's attempt; it then connects in the background.
        connections.getConnection(context);
        while (!connections.isConnected(context)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(
                        "Axon Server is not reachable at " + configuration.getServers() + " (context '" + context
                                + "') within " + timeout.toSeconds() + " s. Start Axon Server, or set "
                                + "axon.axonserver.servers / AXONSERVER_SERVERS to its host:port, or run without "
                                + "the 'axonserver' profile.");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Axon Server", e);
            }
        }
    }
}
