package dk.casejourney.common;

import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses to start when Axon Server cannot be reached. Axon's connector would otherwise keep retrying in the
 * background while the application reports itself up, and every command would fail until the server appears.
 * Runs once all beans exist and before Axon's processors and buses start.
 * <p>
 * It waits up to {@code ledger.axonserver.startup-timeout} (default 60 s: on a loaded machine the connector's
 * first handshakes can run into their deadline although the server is up, and a server started beside the
 * ledger takes 40-70 s), checking with a growing pause (0.25 s doubling to 5 s) whether the connector is
 * connected. Each check also opens a plain TCP connection to every configured address, so that a refusal says
 * what went wrong where: the addresses, the number of checks and the last error seen.
 */
@Component
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "true")
class AxonServerStartupCheck implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(AxonServerStartupCheck.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);
    private static final int DEFAULT_PORT = 8124;
    private final AxonServerConnectionManager connections;
    private final AxonServerConfiguration configuration;
    private final Duration timeout;

    AxonServerStartupCheck(AxonServerConnectionManager connections, AxonServerConfiguration configuration,
                           @Value("${ledger.axonserver.startup-timeout:PT60S}") Duration timeout) {
        this.connections = connections;
        this.configuration = configuration;
        this.timeout = timeout;
    }

    @Override
    public void afterSingletonsInstantiated() {
        String context = connections.getDefaultContext();
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        // Asking for the connection starts the connector's attempt; it then connects (and retries) in the background.
        connections.getConnection(context);
        int checks = 0;
        String lastError = "none";
        Duration pause = FIRST_PAUSE;
        while (true) {
            checks++;
            if (connections.isConnected(context)) {
                if (checks > 1) {
                    log.info("Connected to Axon Server at {} (context '{}') after {} checks in {} ms",
                             configuration.getServers(), context, checks, (System.nanoTime() - started) / 1_000_000);
                }
                return;
            }
            lastError = probe();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException(
                        "Axon Server is not reachable at " + configuration.getServers() + " (context '" + context
                                + "') within " + timeout.toSeconds() + " s: " + checks + " checks; last error: "
                                + lastError + ". Start Axon Server, or set axon.axonserver.servers / "
                                + "AXONSERVER_SERVERS to its host:port, raise ledger.axonserver.startup-timeout "
                                + "(AXONSERVER_STARTUP_TIMEOUT) on a slow start, or run without the 'axonserver' "
                                + "profile.");
            }
            if (checks == 1 || checks % 5 == 0) {
                log.info("Waiting for Axon Server at {} (context '{}'): check {}, last error: {}",
                         configuration.getServers(), context, checks, lastError);
            }
            try {
                Thread.sleep(Math.max(1, Math.min(pause.toMillis(), left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Axon Server", e);
            }
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }

    /** What a plain TCP connection to each address says; the gRPC connection is the connector's. */
    private String probe() {
        List<String> results = new ArrayList<>();
        for (String server : configuration.getServers().split(",")) {
            String address = server.trim();
            int colon = address.lastIndexOf(':');
            String host = colon < 0 ? address : address.substring(0, colon);
            int port = colon < 0 ? DEFAULT_PORT : Integer.parseInt(address.substring(colon + 1));
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 1000);
                results.add(address + ": the port accepts connections, the connector's gRPC handshake has not "
                                    + "completed yet (the server may still be starting, or overloaded)");
            } catch (IOException | IllegalArgumentException e) {
                results.add(address + ": " + e.getClass().getSimpleName()
                                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
            }
        }
        return String.join("; ", results);
    }
}
