package dk.casejourney.evaluation.api;

import dk.casejourney.journey.api.Channel;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The evaluation of the cases opened in a period, one entry per group.
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
     */
    public record Group(Map<String, String> key, long cases, long openCases, long resolvedCases,
                        Distribution serviceSteps, Distribution touchpoints, Distribution handovers,
                        Distribution leadTimeMs, Distribution leadTimeBusinessMs, Distribution handlingTimeMs,
                        Distribution waitingForCitizenMs, Distribution waitingForCitizenBusinessMs,
                        Distribution waitingForMunicipalityMs, Distribution waitingForMunicipalityBusinessMs,
                        Distribution staffMinutes, Distribution queueTimeMs,
                        Double repeatedInformationRate, Double firstContactResolutionRate,
                        Double avoidableContactRate, long contacts, Map<Channel, Double> channelMix,
                        Double digitalFirstShare, Satisfaction satisfaction, List<UnitPair> handoversBetweenUnits) {
    }

    /** @param distribution number of scores per score 1-5 */
    public record Satisfaction(long count, Double mean, Map<Integer, Long> distribution) {
    }

    /** @param medianDelayMs nearest-rank median over handovers the receiving unit acted on; null if none */
    public record UnitPair(String fromUnit, String toUnit, long count, Double medianDelayMs) {
    }
}
