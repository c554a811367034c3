package dk.casejourney.journey.api;

import java.util.List;

/**
 * A case's entries in occurredAt order (ties in recording order). The entries never hold personal data;
 * {@code citizenErased} says whether the citizen's personal data has been erased.
 */
public record CaseHistory(String caseId, boolean citizenErased, List<HistoryEntry> entries) {
}
