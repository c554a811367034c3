package dk.casejourney.audit.api;

import dk.casejourney.journey.api.CaseEvent;

import java.time.Instant;
import java.util.List;

/**
 * Where the journey-figures calculator plugs into point-in-time replay: given the events that count at the
 * moment (in sequence order, corrections included), it computes the case's figures as of then. Until a
 * calculator bean is provided, the figures are reported as not computed.
 */
public interface AsOfFigures {

    CaseAsOf.Figures figures(String caseId, List<Recorded> events, Instant asOf, AsOfBasis basis);

    /** A case event with the ledger's recorded time. */
    record Recorded(CaseEvent event, Instant recordedAt) {
    }
}
