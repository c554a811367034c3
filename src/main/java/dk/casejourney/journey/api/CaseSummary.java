package dk.casejourney.journey.api;

import java.time.Instant;

/** One row of a case search. */
public record CaseSummary(String caseId, CaseStatus status, ServiceArea serviceArea, CitizenGroup citizenGroup,
                          String municipality, String holderUnit, Instant openedAt, Instant resolvedAt,
                          Instant lastActivityAt) {
}
