package dk.casejourney.evaluation;

import dk.casejourney.journey.api.CaseEvent;

import java.time.Instant;

/** A case event with the ledger's recorded time; a case's events are handed over in recording order. */
record RecordedEvent(CaseEvent event, Instant recordedAt) {
}
