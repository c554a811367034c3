package dk.casejourney.audit.api;

import java.time.Instant;

/** A case as it stood at {@code asOf}, replayed from the ledger. Answers {@link CaseAsOf}, or nothing. */
public record FindCaseAsOfQuery(String caseId, Instant asOf, AsOfBasis basis) {
}
