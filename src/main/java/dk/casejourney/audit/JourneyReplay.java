package dk.casejourney.audit;

import dk.casejourney.audit.api.AsOfBasis;
import dk.casejourney.audit.api.CaseAsOf;
import dk.casejourney.audit.api.CaseAsOf.EntryState;
import dk.casejourney.journey.api.CaseEvent;
import dk.casejourney.journey.api.CaseHandedOver;
import dk.casejourney.journey.api.CaseOpened;
import dk.casejourney.journey.api.CaseReopened;
import dk.casejourney.journey.api.CaseResolved;
import dk.casejourney.journey.api.CaseStatus;
import dk.casejourney.journey.api.CorrectableEntry;
import dk.casejourney.journey.api.EntryCorrected;
import dk.casejourney.journey.api.InformationProvided;
import dk.casejourney.journey.api.InformationType;
import dk.casejourney.journey.api.InformationRequested;
import dk.casejourney.journey.api.WaitingFor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The state of a case at a moment, folded from its events alone (no projection, no database). Which events
 * count depends on the basis: {@link AsOfBasis#RECORDED} takes the events recorded by then, in the order the
 * ledger recorded them; {@link AsOfBasis#OCCURRED} takes the events that occurred by then as known today,
 * so a correction recorded later still corrects the entry it names.
 */
final class JourneyReplay {

    private JourneyReplay() {
    }

    /** One stored event: the ledger's own sequence, id, recorded time and recorder, and the event. */
    record Recorded(long sequenceNumber, String eventId, Instant recordedAt, String recordedBy, CaseEvent event) {
    }

    /** An entry as it stands at the moment: void, corrected to {@code current}, or as recorded. */
    record Entry(Recorded recorded, EntryState state, CorrectableEntry current, List<String> correctedBy) {

        CaseEvent effective() {
            return switch (state) {
                case RECORDED -> recorded.event();
                case CORRECTED -> current;
                case VOID -> null;
            };
        }

        Instant effectiveOccurredAt() {
            return state == EntryState.CORRECTED ? current.occurredAt() : recorded.event().occurredAt();
        }
    }

    record Result(CaseAsOf.State state, List<Entry> entries, List<Recorded> counted) {
    }

    /** The events that count at the moment, in sequence order. */
    static List<Recorded> select(List<Recorded> events, Instant asOf, AsOfBasis basis) {
        List<Recorded> inSequence = events.stream().sorted(Comparator.comparingLong(Recorded::sequenceNumber)).toList();
        if (basis == AsOfBasis.RECORDED) {
            return inSequence.stream().filter(e -> !e.recordedAt().isAfter(asOf)).toList();
        }
        Set<String> happened = inSequence.stream()
                                          .filter(e -> !(e.event() instanceof EntryCorrected))
                                          .filter(e -> !e.event().occurredAt().isAfter(asOf))
                                          .map(e -> e.event().entryId())
                                          .collect(Collectors.toSet());
        return inSequence.stream()
                         .filter(e -> e.event() instanceof EntryCorrected correction
                                 ? happened.contains(correction.correctedEntryId())
                                 : happened.contains(e.event().entryId()))
                         .toList();
    }

    /** @return nothing when the case had not been opened at the moment */
    static Optional<Result> replay(List<Recorded> events, Instant asOf, AsOfBasis basis) {
        List<Recorded> counted = select(events, asOf, basis);
        Fold fold = new Fold();
        counted.forEach(fold::apply);
        if (fold.opened == null) {
            return Optional.empty();
        }
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Recorded> recorded : fold.entries.entrySet()) {
            String entryId = recorded.getKey();
            EntryState state = fold.voided.contains(entryId) ? EntryState.VOID
                    : fold.replacements.containsKey(entryId) ? EntryState.CORRECTED : EntryState.RECORDED;
            entries.add(new Entry(recorded.getValue(), state, state == EntryState.CORRECTED
                    ? fold.replacements.get(entryId) : null, fold.correctedBy.getOrDefault(entryId, List.of())));
        }
        entries.sort(Comparator.comparing(Entry::effectiveOccurredAt)
                               .thenComparingLong(entry -> entry.recorded().sequenceNumber()));
        return Optional.of(new Result(fold.state(entries), List.copyOf(entries), counted));
    }

    private static final class Fold {
        private CaseOpened opened;
        private CaseStatus status;
        private String holder;
        private Instant holderSince;
        private Instant resolvedAt;
        private long version;
        private final Map<String, Recorded> entries = new LinkedHashMap<>();
        private final Map<String, CorrectableEntry> replacements = new LinkedHashMap<>();
        private final Set<String> voided = new HashSet<>();
        private final Map<String, List<String>> correctedBy = new LinkedHashMap<>();

        void apply(Recorded recorded) {
            CaseEvent event = recorded.event();
            entries.put(event.entryId(), recorded);
            version = recorded.sequenceNumber();
            if (event instanceof CaseOpened open) {
                opened = open;
                status = CaseStatus.OPEN;
                holder = open.unit();
                holderSince = open.occurredAt();
            } else if (event instanceof CaseHandedOver handover) {
                holder = handover.toUnit();
                holderSince = handover.occurredAt();
            } else if (event instanceof CaseResolved resolved) {
                status = CaseStatus.RESOLVED;
                resolvedAt = resolved.occurredAt();
            } else if (event instanceof CaseReopened) {
                status = CaseStatus.OPEN;
                resolvedAt = null;
            } else if (event instanceof EntryCorrected correction) {
                String target = correction.correctedEntryId();
                correctedBy.computeIfAbsent(target, id -> new ArrayList<>()).add(correction.entryId());
                if (correction.voids()) {
                    voided.add(target);
                    replacements.remove(target);
                } else {
                    replacements.put(target, correction.replacement());
                }
            }
        }

        CaseAsOf.State state(List<Entry> entriesInTimeOrder) {
            Map<String, CaseAsOf.OpenRequest> open = new LinkedHashMap<>();
            Map<InformationType, CaseAsOf.ProvidedInformation> provided = new LinkedHashMap<>();
            for (Entry entry : entriesInTimeOrder) {
                if (entry.effective() instanceof InformationRequested request) {
                    open.put(request.entryId(), new CaseAsOf.OpenRequest(request.entryId(), request.informationType(),
                                                                         request.occurredAt(), request.dueDate(),
                                                                         request.unit()));
                }
            }
            for (Entry entry : entriesInTimeOrder) {
                if (!(entry.effective() instanceof InformationProvided information)) {
                    continue;
                }
                if (information.answersRequestId() != null) {
                    open.remove(information.answersRequestId());
                }
                CaseAsOf.ProvidedInformation earlier = provided.get(information.informationType());
                provided.put(information.informationType(), earlier == null
                        ? new CaseAsOf.ProvidedInformation(information.informationType(), information.occurredAt(),
                                                           information.channel(), information.unit(),
                                                           information.occurredAt(), 1)
                        : new CaseAsOf.ProvidedInformation(information.informationType(), earlier.firstProvidedAt(),
                                                           earlier.channel(), earlier.unit(),
                                                           information.occurredAt(), earlier.timesProvided() + 1));
            }
            WaitingFor waitingFor = status == CaseStatus.RESOLVED ? WaitingFor.NOBODY
                    : open.isEmpty() ? WaitingFor.MUNICIPALITY : WaitingFor.CITIZEN;
            return new CaseAsOf.State(status, opened.citizenPseudonym(), opened.citizenGroup(), opened.ageBand(),
                                      opened.serviceArea(), opened.municipality(), opened.occurredAt(), resolvedAt,
                                      new CaseAsOf.Holder(holder, holderSince), waitingFor, List.copyOf(open.values()),
                                      List.copyOf(provided.values()), version);
        }
    }
}
