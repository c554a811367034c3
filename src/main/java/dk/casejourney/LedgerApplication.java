package dk.casejourney;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The case-journey ledger: an event-sourced record of citizens' case journeys through citizen service. */
@SpringBootApplication
public class LedgerApplication {

    public static void main(String[] args) {
        try {
            SpringApplication.run(LedgerApplication.class, args);
        } catch (Throwable failure) {
            // A failed start or command-line mode must end the process with a status saying so: a thread the
            // failed context left behind (a processor, a pool) must not keep it hanging.
            Throwable cause = failure;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            System.err.println("case-journey-ledger: FAILED: " + cause.getClass().getSimpleName() + ": "
                                       + cause.getMessage());
            System.exit(1);
        }
    }
}
