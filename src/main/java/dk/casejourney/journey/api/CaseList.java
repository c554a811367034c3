package dk.casejourney.journey.api;

import java.util.List;

public record CaseList(List<CaseSummary> cases, int offset, int limit, long total) {
}
