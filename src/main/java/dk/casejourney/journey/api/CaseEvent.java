package dk.casejourney.journey.api;

import java.time.Instant;

/**
 * Every event on a case. {@code entryId} names the entry in the case's history (corrections point at it);
 * {@code occurredAt} is business time. The ledger's own recorded time is the event message's timestamp and
 * the recorder is in its metadata ({@link LedgerMetadata}).
 */
public sealed interface CaseEvent
        permits CorrectableEntry, CaseOpened, CaseHandedOver, InformationRequested, CaseResolved, CaseReopened,
        EntryCorrected {

    String caseId();

    String entryId();

    Instant occurredAt();
}
