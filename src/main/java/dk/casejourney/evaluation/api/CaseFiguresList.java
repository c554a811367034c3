package dk.casejourney.evaluation.api;

import dk.casejourney.journey.api.CaseStatus;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One row per selected case, in order of opening (then case id). */
public record CaseFiguresList(List<CaseFigures> cases) {

    public CaseFiguresList {
        cases = List.copyOf(cases);
    }

    /**
     * @param sourceRef          the trace name of an imported case, null for live cases
     * @param events             activities done on the case (contacts, work, information, decisions)
     * @param leadTimeMs         first event to resolution (or to when the figures were computed, while open)
     * @param rework             repetitions of an activity label after its first
     * @param repeatedActivities the same per label
     */
    public record CaseFigures(String caseId, String sourceRef, CaseStatus status, Instant openedAt, int events,
                              long leadTimeMs, int serviceSteps, int handovers, int returns, int rework,
                              Map<String, Integer> repeatedActivities) {
    }
}
