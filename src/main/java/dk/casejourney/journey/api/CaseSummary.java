package dk.casejourney.journey.api;

import java.time.Instant;

/** One row of a case search; {@code sourceRef} is the trace name of an imported case, null otherwise. */
public record CaseSummary(String caseId, CaseStatus status, ServiceArea serviceArea, CitizenGroup citizenGroup,
                          String municipality, String holderUnit, Instant openedAt, Instant resolvedAt,
                          Instant lastActivityAt, String sourceRef) {
}
