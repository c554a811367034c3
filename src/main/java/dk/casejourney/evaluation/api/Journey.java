package dk.casejourney.evaluation.api;

import dk.casejourney.journey.api.AgeBand;
import dk.casejourney.journey.api.CaseStatus;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.InformationType;
import dk.casejourney.journey.api.ServiceArea;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Every figure of one case's journey (DOMAIN.md, "Definitions of the figures"). While the case is open,
 * {@code runningToNow} is true and durations run to {@code asOf}.
 *
 * @param repeatedInformation       provisions of an information type after its first, all types together
 * @param repeatedInformationByType the same per type, types given once left out
 * @param staffTime                 resource use: every contact and work interval summed (two people at once
 *                                  count twice), unlike handlingTime which counts the case's clock once
 * @param units                     the unit of each service step, in order
 * @param channels                  the channel of each contact, in order
 * @param sourceRef                 the trace name of a case imported from an event log, null for live cases
 * @param events                    activities done on the case (contacts, work, information, decisions)
 * @param rework                    repetitions of an activity label after its first, all labels together
 * @param repeatedActivities        the same per label, labels done once left out
 */
public record Journey(
        String caseId,
        CaseStatus status,
        boolean runningToNow,
        Instant asOf,
        Instant openedAt,
        Instant resolvedAt,
        CitizenGroup citizenGroup,
        AgeBand ageBand,
        ServiceArea serviceArea,
        String municipality,
        String entryUnit,
        TimeSpan leadTime,
        TimeSpan leadTimeBusiness,
        TimeSpan handlingTime,
        TimeSpan waitingForCitizen,
        TimeSpan waitingForCitizenBusiness,
        TimeSpan waitingForMunicipality,
        TimeSpan waitingForMunicipalityBusiness,
        TimeSpan staffTime,
        double staffMinutes,
        int serviceSteps,
        int touchpoints,
        int handovers,
        int returns,
        int repeatedInformation,
        Map<InformationType, Integer> repeatedInformationByType,
        boolean firstContactResolution,
        int avoidableContacts,
        Channel firstChannel,
        boolean digitalFirst,
        List<Channel> channels,
        List<String> units,
        List<Contact> contacts,
        List<Handover> handoverDelays,
        Satisfaction satisfaction,
        String sourceRef,
        int events,
        int rework,
        Map<String, Integer> repeatedActivities) {

    /** @param queueTime null when no queue time was recorded */
    public record Contact(String entryId, Channel channel, String unit, ContactPurpose purpose, boolean avoidable,
                          Instant startedAt, TimeSpan queueTime, TimeSpan duration) {
    }

    /**
     * @param pending       the receiving unit has not acted yet
     * @param delay         to the receiving unit's first act (while pending and open: to asOf; null if the case was
     *                      resolved before it acted)
     * @param delayBusiness the same in the receiving unit's opening hours
     */
    public record Handover(String entryId, String fromUnit, String toUnit, Instant at, Instant firstActAt,
                           boolean pending, boolean isReturn, TimeSpan delay, TimeSpan delayBusiness) {
    }

    /** @param mean null without scores */
    public record Satisfaction(Double mean, List<Score> scores) {
    }

    public record Score(int score, Channel channel, Instant at) {
    }
}
