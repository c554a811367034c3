package dk.casejourney.journey.api;

import java.util.List;

/** A case's entries in occurredAt order (ties in recording order). */
public record CaseHistory(String caseId, List<HistoryEntry> entries) {
}
