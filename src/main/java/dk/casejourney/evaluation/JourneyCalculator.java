package dk.casejourney.evaluation;

import dk.casejourney.calendar.BusinessCalendar;
import dk.casejourney.calendar.UnitCalendars;
import dk.casejourney.calendar.UnitKind;
import dk.casejourney.journey.api.CaseEvent;
import dk.casejourney.journey.api.CaseHandedOver;
import dk.casejourney.journey.api.CaseOpened;
import dk.casejourney.journey.api.CaseReopened;
import dk.casejourney.journey.api.CaseResolved;
import dk.casejourney.journey.api.CaseStatus;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.ContactRecorded;
import dk.casejourney.journey.api.DecisionRecorded;
import dk.casejourney.journey.api.EntryCorrected;
import dk.casejourney.journey.api.InformationProvided;
import dk.casejourney.journey.api.InformationRequested;
import dk.casejourney.journey.api.InformationType;
import dk.casejourney.journey.api.SatisfactionRecorded;
import dk.casejourney.journey.api.WorkRecorded;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Computes a case's journey figures (DOMAIN.md, "Definitions of the figures") from its events. The single
 * source of truth for every figure: the read model stores what this computes, the journey query computes
 * it afresh. Pure: no clock (the caller passes "now"), no framework.
 *
 * <p>Decisions where DOMAIN.md leaves room, all applied consistently:
 * <ul>
 *   <li><b>Corrections</b>: an entry's latest replacement takes its place (and its occurredAt); a voided
 *       entry is left out entirely.</li>
 *   <li><b>Open time</b>: the case is open from its opening to its resolution, and again from each reopening
 *       to the next resolution (or to now). Lead time is the open time: the gap between a resolution and
 *       a reopening is not counted, because nobody held the case then; the journey shows both dates.</li>
 *   <li><b>Handling time</b>: the union of contact and work intervals within the open time (overlaps once).
 *       <b>Staff time</b> (resource use) instead sums every interval: two people working at once both spend
 *       their time.</li>
 *   <li><b>Waiting for the citizen</b>: the union of intervals from each information request to the answer
 *       that names it (unanswered: to the end of that open period, i.e. resolution or now), within the
 *       open time. <b>Waiting for the municipality</b> is lead time minus handling minus waiting for the
 *       citizen, where time that is both handling and waiting for the citizen counts as handling only, so
 *       the three parts never overlap and never go negative. Both waits are also given in business time on
 *       the whole-case calendar.</li>
 *   <li><b>Activity by a unit</b> (service steps, handover delay): opening, contacts, work, information
 *       requests, decisions, resolution and reopening by their unit, and a handover by the unit handing
 *       over. Information provided and satisfaction are the citizen's acts and are not unit activity.</li>
 *   <li><b>Handover delay</b>: from the handover to the receiving unit's first activity at or after it; in
 *       business time on the receiving unit's calendar.</li>
 *   <li><b>Returns</b>: handovers to a unit that had held the case and handed it on before.</li>
 *   <li><b>First channel</b>: the channel of the first contact, or the opening's channel without contacts.</li>
 *   <li><b>Rework</b>: an activity label done again on the case; the label of work is its activity (for an
 *       imported case the log's activity), of contacts, information requests and decisions their process-map
 *       label. Information provided is counted as repeated information instead.</li>
 * </ul>
 */
final class JourneyCalculator {

    /** Entries an import derives from the log's events (they are not events of the log themselves). */
    private static final Set<Class<?>> DERIVED_BY_IMPORT = Set.of(CaseOpened.class, CaseHandedOver.class,
                                                                  CaseResolved.class);
    private static final Map<Class<?>, String> LABELS = Map.of(
            CaseOpened.class, "CASE_OPENED",
            InformationRequested.class, "INFORMATION_REQUESTED", InformationProvided.class, "INFORMATION_PROVIDED",
            CaseHandedOver.class, "HANDOVER", CaseResolved.class, "CASE_RESOLVED",
            CaseReopened.class, "CASE_REOPENED", SatisfactionRecorded.class, "SATISFACTION");

    private final UnitCalendars calendars;
    private final Map<String, UnitKind> unitKinds;
    private final EvaluationDefinitions definitions;

    /**
     * @param unitKinds the kind of each configured unit; units not in it are measured on the whole-case calendar
     */
    JourneyCalculator(UnitCalendars calendars, Map<String, UnitKind> unitKinds, EvaluationDefinitions definitions) {
        this.calendars = Objects.requireNonNull(calendars, "calendars");
        this.unitKinds = Map.copyOf(unitKinds);
        this.definitions = Objects.requireNonNull(definitions, "definitions");
    }

    /** One thing a unit did, for service steps and handover delay. */
    private record Activity(Instant at, String unit, String label) {
    }

    private record Interval(Instant start, Instant end) {
        Duration length() {
            return Duration.between(start, end);
        }
    }

    /**
     * @param events the case's events in recording order, the opening first
     * @param now    the end of open periods of an open case
     */
    JourneyFigures compute(List<RecordedEvent> events, Instant now) {
        List<CaseEvent> timeline = effectiveTimeline(events);
        CaseOpened opened = timeline.stream().filter(CaseOpened.class::isInstance).map(CaseOpened.class::cast)
                                    .findFirst()
                                    .orElseThrow(() -> new IllegalArgumentException("the events hold no opening"));

        boolean imported = opened.imported();
        List<Interval> openPeriods = new ArrayList<>();
        CaseStatus status = openPeriods(events, opened, now, openPeriods);
        Instant asOf = status == CaseStatus.OPEN ? now : null;
        Instant resolvedAt = status == CaseStatus.RESOLVED ? openPeriods.get(openPeriods.size() - 1).end() : null;
        BusinessCalendar wholeCase = calendars.wholeCase();
        Duration lead = total(openPeriods);
        Duration leadBusiness = business(openPeriods, wholeCase);

        List<Interval> handled = new ArrayList<>();
        Duration staff = Duration.ZERO;
        List<JourneyFigures.Contact> contacts = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        List<JourneyFigures.Satisfaction> satisfaction = new ArrayList<>();
        Map<InformationType, Integer> provisions = new EnumMap<>(InformationType.class);
        Map<String, Instant> answeredAt = new HashMap<>();
        List<Activity> activities = new ArrayList<>();
        List<Activity> allActivities = new ArrayList<>();
        int avoidable = 0;
        int activityEvents = 0;
        Map<String, Integer> activityCounts = new LinkedHashMap<>();
        for (CaseEvent event : timeline) {
            if (event instanceof ContactRecorded || event instanceof WorkRecorded || event instanceof DecisionRecorded
                    || event instanceof InformationRequested || event instanceof InformationProvided) {
                activityEvents++;
                if (!(event instanceof InformationProvided)) {
                            activityCounts.merge(label(event), 1, Integer::sum);
                }
            }
            if (!(imported && DERIVED_BY_IMPORT.contains(event.getClass()))) {
                allActivities.add(new Activity(event.occurredAt(), null, label(event)));
            }
            if (event instanceof ContactRecorded contact) {
                handled.add(new Interval(contact.startedAt(), contact.endedAt()));
                staff = staff.plus(Duration.between(contact.startedAt(), contact.endedAt()));
                boolean isAvoidable = definitions.avoidable(contact.purpose());
                avoidable += isAvoidable ? 1 : 0;
                channels.add(contact.channel());
                contacts.add(new JourneyFigures.Contact(
                        contact.entryId(), contact.channel(), contact.unit(), contact.purpose(), isAvoidable,
                        contact.startedAt(),
                        contact.queuedAt() == null ? null : Duration.between(contact.queuedAt(), contact.startedAt()),
                        Duration.between(contact.startedAt(), contact.endedAt())));
            } else if (event instanceof WorkRecorded work) {
                handled.add(new Interval(work.startedAt(), work.endedAt()));
                staff = staff.plus(Duration.between(work.startedAt(), work.endedAt()));
            } else if (event instanceof InformationProvided information) {
                provisions.merge(information.informationType(), 1, Integer::sum);
                if (information.answersRequestId() != null) {
                    answeredAt.merge(information.answersRequestId(), information.occurredAt(),
                                     (a, b) -> a.isBefore(b) ? a : b);
                }
            } else if (event instanceof SatisfactionRecorded score) {
                satisfaction.add(new JourneyFigures.Satisfaction(score.score(), score.channel(), score.occurredAt()));
            }
            String unit = actingUnit(event);
            if (unit != null) {
                activities.add(new Activity(event.occurredAt(), unit, label(event)));
            }
        }

        List<Interval> handling = intersect(union(handled), openPeriods);
        List<Interval> requested = new ArrayList<>();
        for (CaseEvent event : timeline) {
            if (event instanceof InformationRequested request) {
                Instant end = answeredAt.get(request.entryId());
                if (end == null) {
                    end = endOfPeriodContaining(openPeriods, request.occurredAt());
                }
                if (end.isAfter(request.occurredAt())) {
                    requested.add(new Interval(request.occurredAt(), end));
                }
            }
        }
        List<Interval> waitingCitizen = intersect(union(requested), openPeriods);
        List<Interval> accounted = union(concat(handling, waitingCitizen));
        Duration waitingMunicipality = lead.minus(total(accounted));
        Duration waitingMunicipalityBusiness = leadBusiness.minus(business(accounted, wholeCase));

        List<JourneyFigures.Handover> handovers = handovers(timeline, activities, opened, status, now);
        int returns = (int) handovers.stream().filter(JourneyFigures.Handover::isReturn).count();

        List<String> stepUnits = new ArrayList<>();
        List<JourneyFigures.Transition> unitFlow = new ArrayList<>();
        Instant lastOfRun = null;
        for (Activity activity : activities) {
            if (stepUnits.isEmpty() || !stepUnits.get(stepUnits.size() - 1).equals(activity.unit())) {
                if (!stepUnits.isEmpty()) {
                    unitFlow.add(new JourneyFigures.Transition(stepUnits.get(stepUnits.size() - 1), activity.unit(),
                                                               Duration.between(lastOfRun, activity.at())));
                }
                stepUnits.add(activity.unit());
            }
            lastOfRun = activity.at();
        }
        List<JourneyFigures.Transition> activityFlow = new ArrayList<>();
        for (int i = 1; i < allActivities.size(); i++) {
            Activity from = allActivities.get(i - 1);
            Activity to = allActivities.get(i);
            activityFlow.add(new JourneyFigures.Transition(from.label(), to.label(),
                                                           Duration.between(from.at(), to.at())));
        }

        List<String> activityPath = allActivities.stream().map(Activity::label).toList();
        Map<InformationType, Integer> repeated = new EnumMap<>(InformationType.class);
        provisions.forEach((type, count) -> {
            if (count > 1) {
                repeated.put(type, count - 1);
            }
        });
        Map<String, Integer> repeatedActivities = new LinkedHashMap<>();
        activityCounts.forEach((activity, count) -> {
            if (count > 1) {
                repeatedActivities.put(activity, count - 1);
            }
        });
        Channel firstChannel = channels.isEmpty() ? opened.channel() : channels.get(0);
        boolean fcr = status == CaseStatus.RESOLVED && contacts.size() == 1 && handovers.isEmpty();

        return new JourneyFigures(
                opened.caseId(), status, asOf, opened.occurredAt(), resolvedAt, opened.citizenGroup(),
                opened.ageBand(), opened.serviceArea(), opened.municipality(), opened.unit(), firstChannel,
                definitions.digital(firstChannel), lead, leadBusiness, total(handling), total(waitingCitizen),
                business(waitingCitizen, wholeCase), waitingMunicipality, waitingMunicipalityBusiness, staff,
                stepUnits.size(), contacts.size(), handovers.size(), returns, repeated, fcr, avoidable,
                List.copyOf(channels), List.copyOf(stepUnits), List.copyOf(contacts), List.copyOf(handovers),
                List.copyOf(satisfaction), List.copyOf(activityFlow), List.copyOf(unitFlow), opened.sourceRef(),
                activityEvents, Collections.unmodifiableMap(repeatedActivities), activityPath,
                opened.citizenPseudonym(), Collections.unmodifiableMap(provisions));
    }

    /**
     * The entries as corrected, in occurredAt order (ties in recording order): the latest replacement takes
     * an entry's place, a voided entry is dropped, and corrections themselves are not part of the journey.
     */
    private static List<CaseEvent> effectiveTimeline(List<RecordedEvent> events) {
        Map<String, CaseEvent> entries = new LinkedHashMap<>();
        Map<String, Integer> position = new HashMap<>();
        for (RecordedEvent recorded : events) {
            CaseEvent event = recorded.event();
            if (event instanceof EntryCorrected correction) {
                if (correction.voids()) {
                    entries.remove(correction.correctedEntryId());
                } else if (entries.containsKey(correction.correctedEntryId())) {
                    entries.put(correction.correctedEntryId(), correction.replacement());
                }
            } else {
                position.put(event.entryId(), position.size());
                entries.put(event.entryId(), event);
            }
        }
        List<CaseEvent> timeline = new ArrayList<>(entries.values());
        timeline.sort(Comparator.comparing(CaseEvent::occurredAt)
                                .thenComparing(event -> position.get(event.entryId())));
        return timeline;
    }

    /** Fills the open periods (resolution and reopening alternate in recording order) and says the status. */
    private static CaseStatus openPeriods(List<RecordedEvent> events, CaseOpened opened, Instant now,
                                          List<Interval> periods) {
        Instant start = opened.occurredAt();
        for (RecordedEvent recorded : events) {
            if (recorded.event() instanceof CaseResolved resolved && start != null) {
                periods.add(new Interval(start, later(start, resolved.occurredAt())));
                start = null;
            } else if (recorded.event() instanceof CaseReopened reopened && start == null) {
                start = reopened.occurredAt();
            }
        }
        if (start != null) {
            periods.add(new Interval(start, later(start, now)));
            return CaseStatus.OPEN;
        }
        return CaseStatus.RESOLVED;
    }

    private List<JourneyFigures.Handover> handovers(List<CaseEvent> timeline, List<Activity> activities,
                                                    CaseOpened opened, CaseStatus status, Instant now) {
        List<JourneyFigures.Handover> handovers = new ArrayList<>();
        Set<String> left = new HashSet<>();
        for (CaseEvent event : timeline) {
            if (!(event instanceof CaseHandedOver handover)) {
                continue;
            }
            left.add(handover.fromUnit());
            boolean isReturn = left.contains(handover.toUnit());
            Instant firstAct = activities.stream()
                                         .filter(a -> a.unit().equals(handover.toUnit()))
                                         .map(Activity::at)
                                         .filter(at -> !at.isBefore(handover.occurredAt()))
                                         .findFirst().orElse(null);
            Instant end = firstAct != null ? firstAct : status == CaseStatus.OPEN ? later(handover.occurredAt(), now) : null;
            Duration delay = end == null ? null : Duration.between(handover.occurredAt(), end);
            Duration delayBusiness = end == null ? null
                    : calendarOf(handover.toUnit()).businessTimeBetween(handover.occurredAt(), end);
            handovers.add(new JourneyFigures.Handover(handover.entryId(), handover.fromUnit(), handover.toUnit(),
                                                      handover.occurredAt(), firstAct, delay, delayBusiness, isReturn));
        }
        return handovers;
    }

    /** A unit's configured calendar, else its kind's, else (unknown unit) the whole-case calendar. */
    BusinessCalendar calendarOf(String unit) {
        return calendars.configuredFor(unit)
                        .orElseGet(() -> unitKinds.containsKey(unit) ? calendars.forKind(unitKinds.get(unit))
                                                                     : calendars.wholeCase());
    }

    private static String actingUnit(CaseEvent event) {
        if (event instanceof CaseOpened e) {
            return e.unit();
        } else if (event instanceof ContactRecorded e) {
            return e.unit();
        } else if (event instanceof WorkRecorded e) {
            return e.unit();
        } else if (event instanceof InformationRequested e) {
            return e.unit();
        } else if (event instanceof DecisionRecorded e) {
            return e.unit();
        } else if (event instanceof CaseResolved e) {
            return e.unit();
        } else if (event instanceof CaseReopened e) {
            return e.unit();
        } else if (event instanceof CaseHandedOver e) {
            return e.fromUnit();
        }
        return null;
    }

    /**
     * Activity names of the process map and the variants: work by its activity (an imported event's activity
     * name), other entries by their type, with the purpose or outcome where it tells more.
     */
    private static String label(CaseEvent event) {
        if (event instanceof WorkRecorded e) {
            return e.activity();
        } else if (event instanceof ContactRecorded e) {
            return "CONTACT_" + e.purpose();
        } else if (event instanceof DecisionRecorded e) {
            return "DECISION_" + e.outcome();
        }
        return LABELS.getOrDefault(event.getClass(), event.getClass().getSimpleName());
    }

    private static Instant endOfPeriodContaining(List<Interval> periods, Instant t) {
        for (Interval period : periods) {
            if (!t.isBefore(period.start()) && !t.isAfter(period.end())) {
                return period.end();
            }
        }
        return t;
    }

    /** Sorted, disjoint intervals covering the same instants. */
    private static List<Interval> union(List<Interval> intervals) {
        List<Interval> sorted = new ArrayList<>(intervals);
        sorted.removeIf(i -> !i.end().isAfter(i.start()));
        sorted.sort(Comparator.comparing(Interval::start));
        List<Interval> merged = new ArrayList<>();
        for (Interval interval : sorted) {
            Interval last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && !interval.start().isAfter(last.end())) {
                merged.set(merged.size() - 1, new Interval(last.start(), later(last.end(), interval.end())));
            } else {
                merged.add(interval);
            }
        }
        return merged;
    }

    /** Intersection of two sorted, disjoint interval lists. */
    private static List<Interval> intersect(List<Interval> a, List<Interval> b) {
        List<Interval> result = new ArrayList<>();
        for (Interval x : a) {
            for (Interval y : b) {
                Instant start = later(x.start(), y.start());
                Instant end = x.end().isBefore(y.end()) ? x.end() : y.end();
                if (end.isAfter(start)) {
                    result.add(new Interval(start, end));
                }
            }
        }
        return union(result);
    }

    private static List<Interval> concat(List<Interval> a, List<Interval> b) {
        List<Interval> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Duration total(List<Interval> intervals) {
        return intervals.stream().map(Interval::length).reduce(Duration.ZERO, Duration::plus);
    }

    private static Duration business(List<Interval> intervals, BusinessCalendar calendar) {
        return intervals.stream().map(i -> calendar.businessTimeBetween(i.start(), i.end()))
                        .reduce(Duration.ZERO, Duration::plus);
    }

    private static Instant later(Instant a, Instant b) {
        return b.isAfter(a) ? b : a;
    }
}
