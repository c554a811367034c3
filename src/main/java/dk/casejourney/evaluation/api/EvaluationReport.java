package dk.casejourney.evaluation.api;

import dk.casejourney.journey.api.Channel;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The evaluation of the cases opened in a period, one entry per group. {@code from} and {@code to} are null
 * when the request left them open (no bound on that side: all cases).
 *
 * @param percentileMethod how medians and p90s are taken
 * @param durationUnit     the unit of every duration distribution (*Ms fields)
 * @param asOf             when the report was made; open cases' durations run to when they were last computed
 */
public record EvaluationReport(LocalDate from, LocalDate to, Map<String, String> filters, List<String> groupBy,
                               String percentileMethod, String durationUnit, Instant asOf, List<Group> groups) {

    /**
     * Figures of one group. Durations (lead time, waits, handling) cover resolved cases, so that an open case
     * does not count with a lead time that is still growing; counts cover all cases.
     *
     * @param repeatedInformationRate  share of cases where some information type was provided more than once
     * @param firstContactResolutionRate share of resolved cases resolved at one contact without handover
     * @param avoidableContactRate     share of contacts that were failure demand (status inquiry, reminder)
     * @param channelMix               share of contacts per channel
     * @param digitalFirstShare        share of cases whose first contact was digital
     * @param handoversBetweenUnits    per pair of units: handovers and median delay (acted-on handovers)
     * @param returns                  returns per case (handovers to a unit the case had already left)
     * @param returnRate               share of cases with at least one return
     * @param repeatedInformationAcrossCases per citizen (by pseudonym) with cases in the group: the information
     *                                 given again across those cases
     * @param satisfactionByChannel    the scores per channel they were given through
     * @param queueTimeByChannelMs     queue time before contacts, per channel of the contact
     * @param queueTimeByUnitMs        queue time before contacts, per unit that had the contact
     */
    public record Group(Map<String, String> key, long cases, long openCases, long resolvedCases,
                        Distribution serviceSteps, Distribution touchpoints, Distribution handovers,
                        Distribution leadTimeMs, Distribution leadTimeBusinessMs, Distribution handlingTimeMs,
                        Distribution waitingForCitizenMs, Distribution waitingForCitizenBusinessMs,
                        Distribution waitingForMunicipalityMs, Distribution waitingForMunicipalityBusinessMs,
                        Distribution staffMinutes, Distribution queueTimeMs,
                        Double repeatedInformationRate, Double firstContactResolutionRate,
                        Double avoidableContactRate, long contacts, Map<Channel, Double> channelMix,
                        Double digitalFirstShare, Satisfaction satisfaction, List<UnitPair> handoversBetweenUnits,
                        Distribution returns, Double returnRate, CitizenRepetition repeatedInformationAcrossCases,
                        Map<Channel, Satisfaction> satisfactionByChannel,
                        Map<Channel, Distribution> queueTimeByChannelMs, Map<String, Distribution> queueTimeByUnitMs) {
    }

    /**
     * Repeated information per citizen across their cases in the group: every provision of an information type
     * after the citizen's first of that type, whichever case it was given in.
     *
     * @param citizens             distinct citizens (pseudonyms) with cases in the group
     * @param repeatedRate         share of those citizens who gave some information type more than once
     * @param repeatsPerCitizen    repetitions per citizen, over all the group's citizens
     */
    public record CitizenRepetition(long citizens, Double repeatedRate, Distribution repeatsPerCitizen) {
    }

    /** @param distribution number of scores per score 1-5 */
    public record Satisfaction(long count, Double mean, Map<Integer, Long> distribution) {
    }

    /** @param medianDelayMs nearest-rank median over handovers the receiving unit acted on; null if none */
    public record UnitPair(String fromUnit, String toUnit, long count, Double medianDelayMs) {
    }
}
