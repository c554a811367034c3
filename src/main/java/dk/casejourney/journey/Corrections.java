package dk.casejourney.journey;

import dk.casejourney.journey.api.ContactRecorded;
import dk.casejourney.journey.api.CorrectableEntry;
import dk.casejourney.journey.api.DecisionRecorded;
import dk.casejourney.journey.api.EntryChanges;
import dk.casejourney.journey.api.InformationProvided;
import dk.casejourney.journey.api.SatisfactionRecorded;
import dk.casejourney.journey.api.WorkRecorded;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static dk.casejourney.common.RuleViolation.invalid;

/** Applies the changed fields of a correction to the current version of an entry. */
final class Corrections {

    private Corrections() {
    }

    static CorrectableEntry apply(CorrectableEntry current, EntryChanges changes) {
        if (current instanceof ContactRecorded contact) {
            onlyFields(changes, "channel", "direction", "unit", "staffId", "purpose", "queuedAt", "startedAt",
                       "endedAt");
            var startedAt = or(changes.startedAt(), contact.startedAt());
            return new ContactRecorded(contact.caseId(), contact.entryId(), or(changes.channel(), contact.channel()),
                                       or(changes.direction(), contact.direction()), or(changes.unit(), contact.unit()),
                                       or(changes.staffId(), contact.staffId()), or(changes.purpose(), contact.purpose()),
                                       or(changes.queuedAt(), contact.queuedAt()), startedAt,
                                       or(changes.endedAt(), contact.endedAt()), startedAt);
        }
        if (current instanceof WorkRecorded work) {
            onlyFields(changes, "unit", "staffId", "activity", "startedAt", "endedAt");
            var startedAt = or(changes.startedAt(), work.startedAt());
            return new WorkRecorded(work.caseId(), work.entryId(), or(changes.unit(), work.unit()),
                                    or(changes.staffId(), work.staffId()), or(changes.activity(), work.activity()),
                                    startedAt, or(changes.endedAt(), work.endedAt()), startedAt, work.lifecycle(),
                                    work.attributes());
        }
        if (current instanceof DecisionRecorded decision) {
            onlyFields(changes, "outcome", "unit", "occurredAt");
            return new DecisionRecorded(decision.caseId(), decision.entryId(), or(changes.outcome(), decision.outcome()),
                                        or(changes.unit(), decision.unit()),
                                        or(changes.occurredAt(), decision.occurredAt()));
        }
        if (current instanceof SatisfactionRecorded satisfaction) {
            onlyFields(changes, "score", "channel", "occurredAt");
            return new SatisfactionRecorded(satisfaction.caseId(), satisfaction.entryId(),
                                            or(changes.score(), satisfaction.score()),
                                            or(changes.channel(), satisfaction.channel()),
                                            or(changes.occurredAt(), satisfaction.occurredAt()));
        }
        InformationProvided information = (InformationProvided) current;
        onlyFields(changes, "informationType", "channel", "unit", "occurredAt");
        return new InformationProvided(information.caseId(), information.entryId(),
                                       or(changes.informationType(), information.informationType()),
                                       or(changes.channel(), information.channel()),
                                       or(changes.unit(), information.unit()), information.answersRequestId(),
                                       information.unsolicited(),
                                       or(changes.occurredAt(), information.occurredAt()));
    }

    private static <T> T or(T changed, T current) {
        return changed != null ? changed : current;
    }

    /** Refuses a change of a field the entry does not have, rather than silently dropping it. */
    private static void onlyFields(EntryChanges changes, String... allowed) {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("channel", changes.channel());
        given.put("direction", changes.direction());
        given.put("unit", changes.unit());
        given.put("staffId", changes.staffId());
        given.put("purpose", changes.purpose());
        given.put("queuedAt", changes.queuedAt());
        given.put("startedAt", changes.startedAt());
        given.put("endedAt", changes.endedAt());
        given.put("activity", changes.activity());
        given.put("informationType", changes.informationType());
        given.put("outcome", changes.outcome());
        given.put("score", changes.score());
        given.put("occurredAt", changes.occurredAt());
        Set<String> permitted = Set.of(allowed);
        given.forEach((field, value) -> {
            if (value != null && !permitted.contains(field)) {
                throw invalid("changes." + field, "does not apply to this kind of entry; allowed: "
                        + String.join(", ", allowed));
            }
        });
        if (given.values().stream().allMatch(Objects::isNull)) {
            throw invalid("changes", "name at least one changed field");
        }
    }
}
