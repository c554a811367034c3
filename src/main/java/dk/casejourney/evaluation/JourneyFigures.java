package dk.casejourney.evaluation;

import dk.casejourney.journey.api.AgeBand;
import dk.casejourney.journey.api.CaseStatus;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.InformationType;
import dk.casejourney.journey.api.ServiceArea;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Every figure of one case's journey, as {@link JourneyCalculator} computes it. For an open case the
 * durations run to {@code asOf}.
 *
 * @param sourceRef          the trace name of a case imported from an event log, null for live cases
 * @param events             the activities done on the case (contacts, work, information requested and provided,
 *                           decisions): for an imported case, its log events
 * @param repeatedActivities per activity label done more than once, the repetitions after the first
 * @param activityPath       the activity map's nodes of the case in order (its activity variant); the unit
 *                           variant is {@code units}
 * @param citizenPseudonym   the citizen's pseudonym (never the CPR number), for figures across a citizen's cases
 * @param provisions         per information type, how often the citizen provided it on this case
 */
record JourneyFigures(
        String caseId,
        CaseStatus status,
        Instant asOf,
        Instant openedAt,
        Instant resolvedAt,
        CitizenGroup citizenGroup,
        AgeBand ageBand,
        ServiceArea serviceArea,
        String municipality,
        String entryUnit,
        Channel firstChannel,
        boolean digitalFirst,
        Duration leadTime,
        Duration leadTimeBusiness,
        Duration handlingTime,
        Duration waitingForCitizen,
        Duration waitingForCitizenBusiness,
        Duration waitingForMunicipality,
        Duration waitingForMunicipalityBusiness,
        Duration staffTime,
        int serviceSteps,
        int touchpoints,
        int handovers,
        int returns,
        Map<InformationType, Integer> repeatedInformation,
        boolean firstContactResolution,
        int avoidableContacts,
        List<Channel> channels,
        List<String> units,
        List<Contact> contacts,
        List<Handover> handoverDelays,
        List<Satisfaction> satisfaction,
        List<Transition> activityFlow,
        List<Transition> unitFlow,
        String sourceRef,
        int events,
        Map<String, Integer> repeatedActivities,
        List<String> activityPath,
        String citizenPseudonym,
        Map<InformationType, Integer> provisions) {

    boolean open() {
        return status == CaseStatus.OPEN;
    }

    /** Rework: every repetition of an activity label after its first, all labels together. */
    int rework() {
        return repeatedActivities.values().stream().mapToInt(Integer::intValue).sum();
    }

    int repeatedInformationTotal() {
        return repeatedInformation.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** @param queueTime null when the contact had no queue (no queuedAt recorded) */
    record Contact(String entryId, Channel channel, String unit, ContactPurpose purpose, boolean avoidable,
                   Instant startedAt, Duration queueTime, Duration duration) {
    }

    /**
     * @param firstActAt    when the receiving unit first acted; null if it has not (yet)
     * @param delay         to the first act, or to asOf while the case is open and the unit has not acted;
     *                      null if the case was resolved before the unit acted
     * @param delayBusiness the same in the receiving unit's business time
     * @param isReturn      the case went back to a unit it had already left
     */
    record Handover(String entryId, String fromUnit, String toUnit, Instant at, Instant firstActAt,
                    Duration delay, Duration delayBusiness, boolean isReturn) {

        boolean pending() {
            return firstActAt == null;
        }
    }

    record Satisfaction(int score, Channel channel, Instant at) {
    }

    /** A directly-follows pair: {@code to} came right after {@code from}, {@code gap} later. */
    record Transition(String from, String to, Duration gap) {
    }
}
