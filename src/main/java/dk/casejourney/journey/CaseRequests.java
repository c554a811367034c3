package dk.casejourney.journey;

import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.DecisionOutcome;
import dk.casejourney.journey.api.Direction;
import dk.casejourney.journey.api.EntryChanges;
import dk.casejourney.journey.api.HandoverReason;
import dk.casejourney.journey.api.InformationType;
import dk.casejourney.journey.api.ReopenReason;
import dk.casejourney.journey.api.ServiceArea;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The JSON bodies of the write endpoints. Shape checks happen here so that every wrong field is reported at
 * once; the case applies its own rules again to every command, whichever path it came by.
 */
final class CaseRequests {

    static final String UNIT = "[\\p{L}\\p{N}][\\p{L}\\p{N} ._:/-]{0,99}";
    static final String UNIT_MESSAGE = "must be 1-100 letters, digits, spaces or . _ : / -, starting with a letter or digit";

    private CaseRequests() {
    }

    record OpenCase(
            @NotNull(message = "is required")
            @Pattern(regexp = "\\d{6}-?\\d{4}", message = "must be 10 digits (DDMMYYXXXX or DDMMYY-XXXX)") String cpr,
            @NotNull(message = "is required") CitizenGroup citizenGroup,
            @NotNull(message = "is required") ServiceArea serviceArea,
            @NotNull(message = "is required")
            @Pattern(regexp = "\\d{3}", message = "must be a three-digit municipality number, e.g. 101") String municipality,
            @NotNull(message = "is required") Channel channel,
            @NotNull(message = "is required") @Pattern(regexp = UNIT, message = UNIT_MESSAGE) String unit,
            @NotNull(message = "is required") Instant occurredAt) {

        @Override
        public String toString() {
            return "OpenCase[cpr=masked]";
        }
    }

    record RecordContact(
            @NotNull(message = "is required") Channel channel,
            @NotNull(message = "is required") Direction direction,
            @NotNull(message = "is required") @Pattern(regexp = UNIT, message = UNIT_MESSAGE) String unit,
            @Pattern(regexp = UNIT, message = UNIT_MESSAGE) String staffId,
            @NotNull(message = "is required") ContactPurpose purpose,
            Instant queuedAt,
            @NotNull(message = "is required") Instant startedAt,
            @NotNull(message = "is required") Instant endedAt) {
    }

    record HandOver(
            @NotNull(message = "is required") @Pattern(regexp = UNIT, message = UNIT_MESSAGE) String fromUnit,
            @NotNull(message = "is required") @Pattern(regexp = UNIT, message = UNIT_MESSAGE) String toUnit,
            @NotNull(message = "is required") HandoverReason reason,
            @Size(max = 2000, message = "must be at most 2000 characters") String note,
            @NotNull(message = "is required") Instant occurredAt) {
    }

    record RequestInformation(
            @NotNull(message = "is required") InformationType informationType,
            LocalDate dueDate,
            @NotNull(message = "is required") @Pattern(regexp = UNIT, message = UNIT_MESSAGE) String unit,
            @NotNull(message = "is required") Instant occurredAt) {
    }

    record ProvideInformation(
            @NotNull(message = "is required") InformationType informationType,
            @NotNull(message = "is required") Channel channel,
            @NotNull(message = "is required") @Pattern(regexp = UNIT, message = UNIT_MESSAGE) String unit,
            @Size(max = 64, message = "must be at most 64 characters") String answersRequestId,
            @NotNull(message = "is required") Instant occurredAt) {
    }

    record RecordWork(
            @NotNull(message = "is required") @Pattern(regexp = UNIT, message = UNIT_MESSAGE) String unit,
            @Pattern(regexp = UNIT, message = UNIT_MESSAGE) String staffId,
            @NotBlank(message = "is required") @Size(max = 200, message = "must be at most 200 characters") String activity,
            @NotNull(message = "is required") Instant startedAt,
            @NotNull(message = "is required") Instant endedAt) {
    }

    record RecordDecision(
            @NotNull(message = "is required") DecisionOutcome outcome,
            @NotNull(message = "is required") @Pattern(regexp = UNIT, message = UNIT_MESSAGE) String unit,
            @NotNull(message = "is required") Instant occurredAt) {
    }

    record Resolve(
            @NotNull(message = "is required") @Pattern(regexp = UNIT, message = UNIT_MESSAGE) String unit,
            @NotNull(message = "is required") Instant occurredAt) {
    }

    record Reopen(
            @NotNull(message = "is required") ReopenReason reason,
            @NotNull(message = "is required") @Pattern(regexp = UNIT, message = UNIT_MESSAGE) String unit,
            @NotNull(message = "is required") Instant occurredAt) {
    }

    record RecordSatisfaction(
            @NotNull(message = "is required") @Min(value = 1, message = "must be from 1 to 5")
            @Max(value = 5, message = "must be from 1 to 5") Integer score,
            @NotNull(message = "is required") Channel channel,
            @NotNull(message = "is required") Instant occurredAt) {
    }

    record Correct(
            @NotBlank(message = "is required") @Size(max = 64, message = "must be at most 64 characters") String correctedEntryId,
            @NotBlank(message = "is required: say why the entry is corrected")
            @Size(max = 2000, message = "must be at most 2000 characters") String reason,
            @Valid EntryChanges changes,
            Boolean voidEntry,
            @NotNull(message = "is required") Instant occurredAt) {
    }

    /** What a write answers: the case, the recorded entry and where to read it. */
    record Recorded(String caseId, String entryId, String location) {
    }
}
