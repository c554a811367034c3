package dk.casejourney.production;

import dk.casejourney.journey.api.CaseCommand;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.Direction;
import dk.casejourney.journey.api.HandOverCaseCommand;
import dk.casejourney.journey.api.HandoverReason;
import dk.casejourney.journey.api.OpenCaseCommand;
import dk.casejourney.journey.api.RecordContactCommand;
import dk.casejourney.journey.api.ResolveCaseCommand;
import dk.casejourney.journey.api.ServiceArea;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Small, valid case journeys for tests that are about storage and processing, not about the rules. */
final class Journeys {

    /** Events {@link #journey} records per case. */
    static final int EVENTS_PER_JOURNEY = 5;
    static final Instant START = Instant.parse("2012-03-05T09:00:00Z");

    private Journeys() {
    }

    static OpenCaseCommand open(String caseId, Instant at) {
        return open(caseId, "0101801234", at);
    }

    static OpenCaseCommand open(String caseId, String cpr, Instant at) {
        return new OpenCaseCommand(caseId, caseId + "-open", cpr, CitizenGroup.ELDERLY,
                                   ServiceArea.HOUSING_BENEFIT, "101", Channel.PHONE, "contact-center", at);
    }

    static RecordContactCommand contact(String caseId, String entryId, Instant at) {
        return new RecordContactCommand(caseId, entryId, Channel.PHONE, Direction.INBOUND, "contact-center", null,
                                        ContactPurpose.QUESTION, null, at, at.plus(Duration.ofMinutes(4)));
    }

    /** Open, contact, handover to the back office, contact there, resolve: {@value #EVENTS_PER_JOURNEY} events. */
    static List<CaseCommand> journey(String caseId) {
        return journey(caseId, "0101801234");
    }

    /** {@link #journey(String)} for the citizen with this CPR number. */
    static List<CaseCommand> journey(String caseId, String cpr) {
        return List.of(open(caseId, cpr, START),
                       contact(caseId, caseId + "-c1", START.plusSeconds(60)),
                       new HandOverCaseCommand(caseId, caseId + "-h1", "contact-center", "back-office",
                                               HandoverReason.NEEDS_EXPERTISE, null, START.plusSeconds(600)),
                       new RecordContactCommand(caseId, caseId + "-c2", Channel.LETTER, Direction.OUTBOUND,
                                                "back-office", null, ContactPurpose.DOCUMENTATION, null,
                                                START.plusSeconds(3600), START.plusSeconds(3600)),
                       new ResolveCaseCommand(caseId, caseId + "-r", "back-office", START.plusSeconds(7200)));
    }
}
