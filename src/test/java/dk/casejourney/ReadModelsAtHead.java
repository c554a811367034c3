package dk.casejourney;

import dk.casejourney.audit.api.FindProjectionsQuery;
import dk.casejourney.audit.api.ProjectionList;
import org.awaitility.Awaitility;
import org.axonframework.queryhandling.QueryGateway;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Waits until every read model has handled every event of the ledger, as the product reports it
 * ({@code /api/admin/projections}: each projection's lag behind the head, from its tokens).
 * <p>
 * A test that compares read-model figures with expected ones must wait for this, not for a count of rows: a case's
 * row appears with its opening, and its later events may be in the processor's next batch, so a read model can hold
 * every case of an import while the last cases still lack events (seen in CI: 1,434 cases with 8,572 of 8,577
 * events).
 */
public final class ReadModelsAtHead {

    private ReadModelsAtHead() {
    }

    /** Returns once every projection's lag is 0; fails with the projections' last state after {@code atMost}. */
    public static void await(QueryGateway queries, Duration atMost) {
        Awaitility.await("every read model at the head of the ledger").atMost(atMost)
                  .pollInterval(Duration.ofMillis(100))
                  .untilAsserted(() -> assertThat(queries.query(new FindProjectionsQuery(), ProjectionList.class)
                                                         .join().projections())
                          .isNotEmpty()
                          .allSatisfy(projection -> assertThat(projection.lag()).as(projection.toString())
                                                                                .isEqualTo(0L)));
    }
}
