package dk.casejourney.production;

import dk.casejourney.journey.api.CaseView;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.OpenCaseCommand;
import dk.casejourney.journey.api.ServiceArea;
import dk.casejourney.journey.api.FindCaseQuery;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several clients opening cases at once, each for a citizen the ledger has not seen (so each opening creates the
 * citizen's key while other openings do the same), and then every case read back as the caseworker sees it.
 */
final class ConcurrentOpenings {

    static final int CASES = 20;
    static final int CLIENTS = 4;

    private ConcurrentOpenings() {
    }

    /** Opens the cases from {@value #CLIENTS} threads at once; answers their ids. */
    static List<String> open(ConfigurableApplicationContext ledger, String prefix) throws Exception {
        CommandGateway commands = ledger.getBean(CommandGateway.class);
        int serial = ThreadLocalRandom.current().nextInt(1000, 9000 - CASES);
        List<String> caseIds = IntStream.range(0, CASES).mapToObj(i -> prefix + "-" + i).toList();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < CASES; i++) {
                // A different citizen per case: DDMMYY of a valid date, then a serial of this run.
                String cpr = String.format("%02d0480%04d", 1 + i % 28, serial + i);
                String caseId = caseIds.get(i);
                sent.add(clients.submit(() -> commands.sendAndWait(new OpenCaseCommand(
                        caseId, caseId + "-open", cpr, CitizenGroup.ELDERLY, ServiceArea.HOUSING_BENEFIT, "101",
                        Channel.PHONE, "contact-center", Journeys.START))));
            }
            for (Future<?> future : sent) {
                future.get();
            }
        } finally {
            clients.shutdown();
        }
        return caseIds;
    }

    /** Every case, once projected, shows its citizen's number and is not shown as erased. */
    static void assertNoneShownErased(ConfigurableApplicationContext ledger, List<String> caseIds) {
        QueryGateway queries = ledger.getBean(QueryGateway.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> caseIds.stream().allMatch(id -> view(queries, id).isPresent()));
        List<String> shownErased = caseIds.stream()
                                          .filter(id -> view(queries, id).map(v -> v.citizenErased() || v.cpr() == null)
                                                                         .orElse(true))
                                          .toList();
        assertThat(shownErased).as("cases shown as erased although no citizen was erased").isEmpty();
    }

    private static Optional<CaseView> view(QueryGateway queries, String caseId) {
        return queries.query(new FindCaseQuery(caseId), ResponseTypes.optionalInstanceOf(CaseView.class)).join();
    }
}
