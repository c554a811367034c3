package dk.casejourney.journey.api;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * An earlier entry was corrected. The ledger never changes the corrected event: this event carries the
 * corrected version ({@code replacement}, same type and entry id), or none when the entry was recorded in
 * error and is void. Later corrections of the same entry supersede earlier ones.
 */
@Revision("1")
public record EntryCorrected(
        String caseId,
        String entryId,
        String correctedEntryId,
        String reason,
        @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "entryType")
        @JsonSubTypes({
                @JsonSubTypes.Type(value = ContactRecorded.class, name = "ContactRecorded"),
                @JsonSubTypes.Type(value = InformationProvided.class, name = "InformationProvided"),
                @JsonSubTypes.Type(value = WorkRecorded.class, name = "WorkRecorded"),
                @JsonSubTypes.Type(value = DecisionRecorded.class, name = "DecisionRecorded"),
                @JsonSubTypes.Type(value = SatisfactionRecorded.class, name = "SatisfactionRecorded")
        })
        CorrectableEntry replacement,
        Instant occurredAt) implements CaseEvent {

    public boolean voids() {
        return replacement == null;
    }
}
