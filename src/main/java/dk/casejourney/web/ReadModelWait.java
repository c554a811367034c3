package dk.casejourney.web;

import dk.casejourney.audit.api.FindProjectionsQuery;
import dk.casejourney.audit.api.ProjectionList;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Read your own writes on the pages. The read models follow the ledger a moment after each commit (their
 * processors' reader is woken at once on a quiet ledger, at most {@code ledger.processors.wake-up-delay} later on
 * a busy one, then a batch is handled),
 * so a page shown right after a form recorded something, or for a case opened a moment ago, could miss it. Such a
 * page first waits, a moment at most, until every read model has handled every event recorded up to now, as the
 * read models' own positions say ({@link FindProjectionsQuery}: the token store, for every instance). A case's
 * query is not asked again and again: each would be logged as a read of the case.
 */
@Component
class ReadModelWait {

    /** A person waits this long at most; beyond it the page shows what the read models have, and says so. */
    static final Duration AT_MOST = Duration.ofSeconds(2);
    private static final long POLL_MILLIS = 5;
    private final QueryGateway queries;

    ReadModelWait(QueryGateway queries) {
        this.queries = queries;
    }

    /**
     * @return true once every read model has handled every event recorded before this call; false at once when a
     * read model is not running (stopped for a rebuild, in error or with a segment nobody holds: it would not get
     * there in a moment), or after {@link #AT_MOST}
     */
    boolean untilEverythingRecordedIsShown() {
        long deadline = System.nanoTime() + AT_MOST.toNanos();
        ProjectionList now = positions();
        if (now.head() == null) {
            return false;
        }
        long recorded = now.head();
        while (true) {
            if (now.projections().stream().anyMatch(p -> p.state() != ProjectionList.State.RUNNING)) {
                return false;
            }
            if (handled(now, recorded)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            now = positions();
        }
    }

    private static boolean handled(ProjectionList list, long position) {
        // A projection's lag counts from the head at the time of that answer, which later writes move on.
        return list.head() != null && list.projections().stream()
                                          .allMatch(p -> p.lag() != null && list.head() - p.lag() >= position);
    }

    private ProjectionList positions() {
        return queries.query(new FindProjectionsQuery(), ProjectionList.class).join();
    }
}
