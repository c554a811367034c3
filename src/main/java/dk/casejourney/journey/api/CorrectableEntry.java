package dk.casejourney.journey.api;

/**
 * Entries that can be corrected by a later {@link EntryCorrected}. Opening, handovers, information
 * requests, resolution and reopening change who holds the case and what it waits for; they are put right
 * by recording the next handover, answer or reopening instead, so the state the ledger enforced stays
 * explainable.
 */
public sealed interface CorrectableEntry extends CaseEvent
        permits ContactRecorded, InformationProvided, WorkRecorded, DecisionRecorded, SatisfactionRecorded {
}
