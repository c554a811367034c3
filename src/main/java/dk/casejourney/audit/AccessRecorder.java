package dk.casejourney.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.casejourney.audit.api.AccessLog;
import dk.casejourney.audit.api.CaseAsOf;
import dk.casejourney.audit.api.ChainVerification;
import dk.casejourney.audit.api.FindAccessLogQuery;
import dk.casejourney.audit.api.FindCaseAsOfQuery;
import dk.casejourney.audit.api.VerifyCaseChainQuery;
import dk.casejourney.journey.api.CaseHistory;
import dk.casejourney.journey.api.CaseList;
import dk.casejourney.journey.api.CaseSummary;
import dk.casejourney.journey.api.CaseView;
import dk.casejourney.journey.api.FindCaseEntryQuery;
import dk.casejourney.journey.api.FindCaseHistoryQuery;
import dk.casejourney.journey.api.FindCaseQuery;
import dk.casejourney.journey.api.FindCasesQuery;
import dk.casejourney.journey.api.HistoryEntry;
import dk.casejourney.privacy.PersonalDataVault;
import dk.casejourney.privacy.Pseudonymizer;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.queryhandling.QueryMessage;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Records every read of a case or of personal data where it is answered: on the query bus, around the query
 * handler. Whatever path a read takes (today's controllers, tomorrow's), it passes here, and the log names
 * the cases the answer actually disclosed rather than what a URL suggests. The entry is written before the
 * answer is returned, and a read whose entry cannot be written fails: no unlogged look at personal data.
 * Not a bean: Axon's auto-configuration would register it a second time.
 */
class AccessRecorder implements MessageHandlerInterceptor<QueryMessage<?, ?>> {

    private final AccessLogStore store;
    private final Pseudonymizer pseudonymizer;
    static final String UNKNOWN = "unknown citizen";
    private final Clock clock;
    private final PersonalDataVault vault;
    private final ObjectMapper json = new ObjectMapper();

    AccessRecorder(AccessLogStore store, Pseudonymizer pseudonymizer, PersonalDataVault vault, Clock clock) {
        this.store = store;
        this.pseudonymizer = pseudonymizer;
        this.vault = vault;
        this.clock = clock;
    }

    @Override
    public Object handle(UnitOfWork<? extends QueryMessage<?, ?>> unitOfWork, InterceptorChain chain)
            throws Exception {
        QueryMessage<?, ?> query = unitOfWork.getMessage();
        ObjectNode criteria = criteria(query.getPayload());
        if (criteria == null) {
            return chain.proceed();
        }
        Object result = chain.proceed();
        String who = (String) query.getMetaData().getOrDefault(AccessContext.ACCESSED_BY, AccessContext.SYSTEM);
        String purpose = (String) query.getMetaData().get(AccessContext.PURPOSE);
        String cprPseudonym = criteria.hasNonNull("cpr") && !UNKNOWN.equals(criteria.get("cpr").asText())
                ? criteria.get("cpr").asText() : null;
        store.append(clock.instant(), who, purpose, query.getPayloadType().getSimpleName(), criteria.toString(),
                     cprPseudonym, caseIds(query.getPayload(), result));
        return result;
    }

    /** What a read asked for, or null for a query that reads no case or personal data. */
    private ObjectNode criteria(Object query) {
        ObjectNode criteria = json.createObjectNode();
        if (query instanceof FindCaseQuery find) {
            criteria.put("caseId", find.caseId());
        } else if (query instanceof FindCaseHistoryQuery find) {
            criteria.put("caseId", find.caseId());
        } else if (query instanceof FindCaseEntryQuery find) {
            criteria.put("caseId", find.caseId()).put("entryId", find.entryId());
        } else if (query instanceof FindCasesQuery find) {
            criteria.put("cpr", pseudonym(find.cpr())).put("unit", find.unit())
                    .put("status", find.status() == null ? null : find.status().name())
                    .put("offset", find.offset()).put("limit", find.limit());
        } else if (query instanceof FindCaseAsOfQuery find) {
            criteria.put("caseId", find.caseId()).put("asOf", String.valueOf(find.asOf()))
                    .put("basis", String.valueOf(find.basis()));
        } else if (query instanceof VerifyCaseChainQuery find) {
            criteria.put("caseId", find.caseId());
        } else if (query instanceof FindAccessLogQuery find) {
            criteria.put("cpr", pseudonym(find.cpr()));
        } else {
            return null;
        }
        return criteria;
    }

    /**
     * A searched CPR number is logged as the citizen's pseudonym (random, from the key store's directory): the
     * log must not become a register of numbers, and once the citizen is erased nothing derived from the number
     * links it to the entries. A number the ledger does not know is logged as {@value #UNKNOWN}.
     */
    private String pseudonym(String cpr) {
        return cpr == null ? null
                : vault.citizenPseudonym(pseudonymizer.pseudonymOf(cpr.replace("-", ""))).orElse(UNKNOWN);
    }

    private static List<String> caseIds(Object query, Object result) {
        Object answer = result instanceof Optional<?> optional ? optional.orElse(null) : result;
        if (answer instanceof CaseView view) {
            return List.of(view.caseId());
        }
        if (answer instanceof HistoryEntry && query instanceof FindCaseEntryQuery find) {
            return List.of(find.caseId());
        }
        if (answer instanceof CaseHistory history) {
            return List.of(history.caseId());
        }
        if (answer instanceof CaseList list) {
            return list.cases().stream().map(CaseSummary::caseId).toList();
        }
        if (answer instanceof CaseAsOf asOf) {
            return List.of(asOf.caseId());
        }
        if (answer instanceof ChainVerification verification) {
            return List.of(verification.caseId());
        }
        if (answer instanceof AccessLog log) {
            return log.caseIds();
        }
        return List.of();
    }
}
