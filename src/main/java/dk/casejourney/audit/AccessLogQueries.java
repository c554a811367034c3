package dk.casejourney.audit;

import dk.casejourney.audit.api.AccessLog;
import dk.casejourney.audit.api.FindAccessLogQuery;
import dk.casejourney.journey.api.CaseList;
import dk.casejourney.journey.api.CaseSummary;
import dk.casejourney.journey.api.FindCasesQuery;
import dk.casejourney.privacy.PersonalDataVault;
import dk.casejourney.privacy.Pseudonymizer;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Who looked at a citizen's cases: the entries that searched for the citizen (by pseudonym) or disclosed any
 * of the citizen's cases. The citizen's cases are found through the journey's own search, which is itself
 * logged: telling the citizen is a look at their cases too.
 */
@Component
class AccessLogQueries {

    private static final int PAGE = 500;
    private final AccessLogStore store;
    private final Pseudonymizer pseudonymizer;
    private final QueryGateway queries;
    private final PersonalDataVault vault;

    AccessLogQueries(AccessLogStore store, Pseudonymizer pseudonymizer, QueryGateway queries,
                     PersonalDataVault vault) {
        this.store = store;
        this.pseudonymizer = pseudonymizer;
        this.vault = vault;
        this.queries = queries;
    }

    @QueryHandler
    AccessLog handle(FindAccessLogQuery query) {
        String cpr = query.cpr().replace("-", "");
        List<String> caseIds = new ArrayList<>();
        CaseList page;
        do {
            page = queries.query(new FindCasesQuery(cpr, null, null, caseIds.size(), PAGE), CaseList.class).join();
            page.cases().stream().map(CaseSummary::caseId).forEach(caseIds::add);
        } while (!page.cases().isEmpty() && caseIds.size() < page.total());
        // An unknown or erased citizen: no pseudonym, no case, so no entry is linked to the number any more.
        String pseudonym = vault.citizenPseudonym(pseudonymizer.pseudonymOf(cpr)).orElse(null);
        return new AccessLog(pseudonym, List.copyOf(caseIds),
                             pseudonym == null ? List.of() : store.about(pseudonym, caseIds));
    }
}
