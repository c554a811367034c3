package dk.casejourney.journey;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dk.casejourney.journey.api.AgeBand;
import dk.casejourney.journey.api.CaseHandedOver;
import dk.casejourney.journey.api.CaseOpened;
import dk.casejourney.journey.api.CaseReopened;
import dk.casejourney.journey.api.CaseResolved;
import dk.casejourney.journey.api.Citizen;
import dk.casejourney.journey.api.ContactRecorded;
import dk.casejourney.journey.api.CorrectEntryCommand;
import dk.casejourney.journey.api.CorrectableEntry;
import dk.casejourney.journey.api.CprNumber;
import dk.casejourney.journey.api.DecisionRecorded;
import dk.casejourney.journey.api.EntryCorrected;
import dk.casejourney.journey.api.HandOverCaseCommand;
import dk.casejourney.journey.api.InformationProvided;
import dk.casejourney.journey.api.InformationRequested;
import dk.casejourney.journey.api.InformationType;
import dk.casejourney.journey.api.OpenCaseCommand;
import dk.casejourney.journey.api.ProvideInformationCommand;
import dk.casejourney.journey.api.RecordContactCommand;
import dk.casejourney.journey.api.RecordDecisionCommand;
import dk.casejourney.journey.api.RecordSatisfactionCommand;
import dk.casejourney.journey.api.RecordWorkCommand;
import dk.casejourney.journey.api.ReopenCaseCommand;
import dk.casejourney.journey.api.RequestInformationCommand;
import dk.casejourney.journey.api.ResolveCaseCommand;
import dk.casejourney.common.RuleViolation;
import dk.casejourney.journey.api.SatisfactionRecorded;
import dk.casejourney.journey.api.WorkRecorded;
import dk.casejourney.privacy.PersonalDataVault;
import dk.casejourney.privacy.Pseudonymizer;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.serialization.Revision;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateMember;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dk.casejourney.common.RuleViolation.conflict;
import static dk.casejourney.common.RuleViolation.invalid;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A citizen's case: decides whether what is recorded on it is allowed, and records it as events. It holds
 * only what its rules need. Time comes in with the commands; the clock check for future times is done by
 * {@link BusinessTimeGuard} before a command reaches the case.
 * <p>
 * Long cases are loaded from a snapshot ({@link CaseSnapshots}): its fields are serialized as they are, so
 * the revision must be raised whenever the state held here changes, which makes older snapshots ignored.
 */
@Aggregate(repository = CaseCache.REPOSITORY, snapshotTriggerDefinition = CaseSnapshots.TRIGGER,
        snapshotFilter = CaseSnapshots.FILTER, commandTargetResolver = CaseCommandTargets.BEAN)
@Revision(CaseSnapshots.REVISION)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
class CaseAggregate {

    /** Calendar days (due dates, age bands) are Copenhagen days. */
    static final ZoneId CALENDAR_ZONE = ZoneId.of("Europe/Copenhagen");

    private record OpenRequest(String requestId, InformationType type) {
    }

    @AggregateIdentifier
    private String caseId;
    private Instant openedAt;
    private boolean resolved;
    private String holder;
    private final Map<String, OpenRequest> openRequests = new LinkedHashMap<>();
    /** Which request an information entry answered, so that voiding the entry opens the request again. */
    private final Map<String, OpenRequest> answeredBy = new HashMap<>();
    private final Set<String> entryIds = new HashSet<>();
    /** Entries of several types: a snapshot names each one's class to restore it. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
    private final Map<String, CorrectableEntry> correctable = new HashMap<>();
    private final Set<String> voided = new HashSet<>();

    @AggregateMember
    private final IdempotencyKeys idempotencyKeys = new IdempotencyKeys();

    CaseAggregate() {
        // Axon rebuilds the case from its events through this constructor.
    }

    /** A retried request with the same Idempotency-Key gets the entry it recorded the first time. */
    @CommandHandlerInterceptor
    Object answerRetries(CommandMessage<?> command, InterceptorChain chain) throws Exception {
        Optional<String> earlier = idempotencyKeys.earlierEntry(command.getMetaData());
        return earlier.isPresent() ? earlier.get() : chain.proceed();
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    String handle(OpenCaseCommand command, Pseudonymizer pseudonymizer, PersonalDataVault vault) {
        if (caseId != null) {
            throw conflict("caseId", "a case with this id exists already");
        }
        Rules.required(command.entryId(), "entryId");
        boolean imported = command.sourceRef() != null;
        if (imported) {
            Rules.text(command.sourceRef(), 200, "sourceRef");
            Rules.optionalText(command.source(), 200, "source");
        } else if (command.source() != null) {
            throw invalid("source", "is only given for imported cases, together with sourceRef");
        }
        if (command.cpr() == null && !imported) {
            throw invalid("cpr", "is required; only cases imported from a log (with a sourceRef) may have no citizen");
        }
        CprNumber cpr = command.cpr() == null ? null : Rules.cpr(command.cpr());
        Rules.required(command.citizenGroup(), "citizenGroup");
        Rules.required(command.serviceArea(), "serviceArea");
        Rules.municipality(command.municipality());
        Rules.required(command.channel(), "channel");
        Rules.unit(command.unit(), "unit");
        Rules.required(command.occurredAt(), "occurredAt");
        Citizen citizen = null;
        String pseudonym;
        AgeBand ageBand;
        if (cpr == null) {
            // One pseudonymous citizen per imported trace: the log does not say who the citizen was.
            pseudonym = "P-" + pseudonymizer.fingerprint(("import\0" + command.source() + "\0"
                    + command.sourceRef()).getBytes(StandardCharsets.UTF_8)).substring(0, 24);
            ageBand = AgeBand.UNKNOWN;
        } else {
            ageBand = AgeBand.of(cpr.birthDate(), command.occurredAt().atZone(CALENDAR_ZONE).toLocalDate());
            // Sealed only once the command is known to be valid, so a refused command creates no key. The
            // citizen's pseudonym comes from the key store: random, so an erasure leaves nothing to derive it from.
            PersonalDataVault.Sealed sealed = vault.seal(pseudonymizer.pseudonymOf(cpr.digits()), cpr.digits());
            pseudonym = sealed.citizenPseudonym();
            citizen = new Citizen(sealed.keyId(), sealed.text());
        }
        apply(new CaseOpened(command.caseId(), command.entryId(), citizen, pseudonym, command.citizenGroup(), ageBand,
                             command.serviceArea(), command.municipality(), command.channel(), command.unit(),
                             command.occurredAt(), command.sourceRef(), imported ? command.source() : null));
        return command.entryId();
    }

    @CommandHandler
    String handle(RecordContactCommand command) {
        requireOpen();
        ContactRecorded contact = new ContactRecorded(
                caseId, newEntry(command.entryId()), command.channel(), command.direction(), command.unit(),
                command.staffId(), command.purpose(), command.queuedAt(), command.startedAt(), command.endedAt(),
                command.startedAt());
        validate(contact);
        apply(contact);
        return contact.entryId();
    }

    @CommandHandler
    String handle(HandOverCaseCommand command) {
        requireOpen();
        Rules.unit(command.fromUnit(), "fromUnit");
        Rules.unit(command.toUnit(), "toUnit");
        Rules.required(command.reason(), "reason");
        notBeforeOpening(command.occurredAt(), "occurredAt");
        if (!command.fromUnit().equals(holder)) {
            throw conflict("fromUnit", "the case is held by " + holder + ", not by " + command.fromUnit());
        }
        if (command.toUnit().equals(holder)) {
            throw conflict("toUnit", "the case is already held by " + holder);
        }
        Rules.note(command.note(), 2000, "note");
        apply(new CaseHandedOver(caseId, newEntry(command.entryId()), command.fromUnit(), command.toUnit(),
                                 command.reason(), command.note(), command.occurredAt()));
        return command.entryId();
    }

    @CommandHandler
    String handle(RequestInformationCommand command) {
        requireOpen();
        Rules.required(command.informationType(), "informationType");
        Rules.unit(command.unit(), "unit");
        notBeforeOpening(command.occurredAt(), "occurredAt");
        if (command.dueDate() != null
                && command.dueDate().isBefore(command.occurredAt().atZone(CALENDAR_ZONE).toLocalDate())) {
            throw invalid("dueDate", "must not be before the day the information was requested");
        }
        if (command.dueDate() != null
                && command.dueDate().isAfter(command.occurredAt().atZone(CALENDAR_ZONE).toLocalDate().plusYears(10))) {
            throw invalid("dueDate", "must be within 10 years of the request");
        }
        apply(new InformationRequested(caseId, newEntry(command.entryId()), command.informationType(),
                                       command.dueDate(), command.unit(), command.occurredAt()));
        return command.entryId();
    }

    @CommandHandler
    String handle(ProvideInformationCommand command) {
        requireOpen();
        Rules.required(command.informationType(), "informationType");
        Rules.required(command.channel(), "channel");
        Rules.unit(command.unit(), "unit");
        notBeforeOpening(command.occurredAt(), "occurredAt");
        if (command.answersRequestId() != null && !openRequests.containsKey(command.answersRequestId())) {
            // A named request that is not open is refused: dropping the reference would record the answer as
            // unsolicited and leave the real request waiting.
            throw conflict("answersRequestId", answeredBy.values().stream()
                    .anyMatch(request -> request != null && request.requestId().equals(command.answersRequestId()))
                    ? "request " + command.answersRequestId() + " was already answered"
                    : "there is no open information request " + command.answersRequestId() + " on this case");
        }
        OpenRequest answered = command.answersRequestId() != null
                ? openRequests.get(command.answersRequestId())
                : openRequests.values().stream()
                              .filter(request -> request.type() == command.informationType())
                              .findFirst().orElse(null);
        if (answered != null && answered.type() != command.informationType()) {
            throw invalid("informationType", "request " + answered.requestId() + " asked for "
                    + answered.type() + ", not " + command.informationType());
        }
        apply(new InformationProvided(caseId, newEntry(command.entryId()), command.informationType(),
                                      command.channel(), command.unit(),
                                      answered == null ? null : answered.requestId(), answered == null,
                                      command.occurredAt()));
        return command.entryId();
    }

    @CommandHandler
    String handle(RecordWorkCommand command) {
        requireOpen();
        WorkRecorded work = new WorkRecorded(caseId, newEntry(command.entryId()), command.unit(),
                                             command.staffId(), command.activity(), command.startedAt(),
                                             command.endedAt(), command.startedAt(), command.lifecycle(),
                                             command.attributes());
        validate(work);
        apply(work);
        return work.entryId();
    }

    @CommandHandler
    String handle(RecordDecisionCommand command) {
        requireOpen();
        DecisionRecorded decision = new DecisionRecorded(caseId, newEntry(command.entryId()), command.outcome(),
                                                         command.unit(), command.occurredAt());
        validate(decision);
        apply(decision);
        return decision.entryId();
    }

    @CommandHandler
    String handle(ResolveCaseCommand command) {
        requireOpen();
        Rules.unit(command.unit(), "unit");
        notBeforeOpening(command.occurredAt(), "occurredAt");
        apply(new CaseResolved(caseId, newEntry(command.entryId()), command.unit(), command.occurredAt()));
        return command.entryId();
    }

    @CommandHandler
    String handle(ReopenCaseCommand command) {
        if (!resolved) {
            throw conflict("caseId", "the case is open; only a resolved case can be reopened");
        }
        Rules.required(command.reason(), "reason");
        Rules.unit(command.unit(), "unit");
        notBeforeOpening(command.occurredAt(), "occurredAt");
        apply(new CaseReopened(caseId, newEntry(command.entryId()), command.reason(), command.unit(),
                               command.occurredAt()));
        return command.entryId();
    }

    @CommandHandler
    String handle(RecordSatisfactionCommand command) {
        SatisfactionRecorded satisfaction = new SatisfactionRecorded(caseId, newEntry(command.entryId()),
                                                                     command.score(), command.channel(),
                                                                     command.occurredAt());
        validate(satisfaction);
        apply(satisfaction);
        return satisfaction.entryId();
    }

    @CommandHandler
    String handle(CorrectEntryCommand command) {
        String entryId = newEntry(command.entryId());
        Rules.required(command.correctedEntryId(), "correctedEntryId");
        Rules.required(command.occurredAt(), "occurredAt");
        if (command.reason() == null || command.reason().isBlank()) {
            throw invalid("reason", "is required: say why the entry is corrected");
        }
        Rules.note(command.reason(), 2000, "reason");
        if (!entryIds.contains(command.correctedEntryId())) {
            throw invalid("correctedEntryId", "there is no entry " + command.correctedEntryId() + " on this case");
        }
        CorrectableEntry current = correctable.get(command.correctedEntryId());
        if (current == null) {
            throw invalid("correctedEntryId", "openings, handovers, information requests, resolutions, reopenings "
                    + "and corrections cannot be corrected; record what happened next instead");
        }
        if (voided.contains(command.correctedEntryId())) {
            throw conflict("correctedEntryId", "the entry was declared void by an earlier correction");
        }
        if (command.voidEntry() == (command.changes() != null)) {
            throw invalid("changes", "give either the changed fields or voidEntry=true, not both or neither");
        }
        CorrectableEntry replacement = null;
        if (!command.voidEntry()) {
            replacement = Corrections.apply(current, command.changes());
            if (replacement.equals(current)) {
                throw invalid("changes", "change nothing in entry " + command.correctedEntryId());
            }
            try {
                validate(replacement);
            } catch (RuleViolation violation) {
                // The replacement is the corrected entry with the changes applied: name the field as sent.
                throw new RuleViolation(violation.kind(), "changes." + violation.field(), violation.reason());
            }
        }
        apply(new EntryCorrected(caseId, entryId, command.correctedEntryId(), command.reason(), replacement,
                                 command.occurredAt()));
        return entryId;
    }

    private void validate(CorrectableEntry entry) {
        if (entry instanceof ContactRecorded contact) {
            Rules.required(contact.channel(), "channel");
            Rules.required(contact.direction(), "direction");
            Rules.unit(contact.unit(), "unit");
            Rules.staff(contact.staffId(), "staffId");
            Rules.required(contact.purpose(), "purpose");
            Rules.interval(contact.startedAt(), contact.endedAt());
            if (contact.queuedAt() != null && contact.queuedAt().isAfter(contact.startedAt())) {
                throw invalid("queuedAt", "must not be after startedAt");
            }
            notBeforeOpening(contact.startedAt(), "startedAt");
        } else if (entry instanceof WorkRecorded work) {
            Rules.unit(work.unit(), "unit");
            Rules.staff(work.staffId(), "staffId");
            Rules.text(work.activity(), 200, "activity");
            Rules.optionalText(work.lifecycle(), 50, "lifecycle");
            Rules.attributes(work.attributes(), "attributes");
            Rules.interval(work.startedAt(), work.endedAt());
            notBeforeOpening(work.startedAt(), "startedAt");
        } else if (entry instanceof DecisionRecorded decision) {
            Rules.required(decision.outcome(), "outcome");
            Rules.unit(decision.unit(), "unit");
            notBeforeOpening(decision.occurredAt(), "occurredAt");
        } else if (entry instanceof SatisfactionRecorded satisfaction) {
            if (satisfaction.score() < 1 || satisfaction.score() > 5) {
                throw invalid("score", "must be from 1 to 5");
            }
            Rules.required(satisfaction.channel(), "channel");
            notBeforeOpening(satisfaction.occurredAt(), "occurredAt");
        } else if (entry instanceof InformationProvided information) {
            Rules.required(information.informationType(), "informationType");
            Rules.required(information.channel(), "channel");
            Rules.unit(information.unit(), "unit");
            notBeforeOpening(information.occurredAt(), "occurredAt");
            OpenRequest answered = answeredBy.get(information.entryId());
            if (answered != null && answered.type() != information.informationType()) {
                throw invalid("informationType", "the entry answered a request for " + answered.type());
            }
        }
    }

    private void requireOpen() {
        if (resolved) {
            throw conflict("caseId", "the case is resolved; only reopening, satisfaction and corrections "
                    + "may be recorded");
        }
    }

    private String newEntry(String entryId) {
        Rules.required(entryId, "entryId");
        if (entryIds.contains(entryId)) {
            throw conflict("entryId", "entry " + entryId + " is already recorded on this case");
        }
        return entryId;
    }

    private void notBeforeOpening(Instant time, String field) {
        Rules.required(time, field);
        if (time.isBefore(openedAt)) {
            throw invalid(field, "must not be before the case was opened (" + openedAt + ")");
        }
    }

    @EventSourcingHandler
    void on(CaseOpened event) {
        caseId = event.caseId();
        openedAt = event.occurredAt();
        holder = event.unit();
        entryIds.add(event.entryId());
    }

    @EventSourcingHandler
    void on(ContactRecorded event) {
        remember(event);
    }

    @EventSourcingHandler
    void on(CaseHandedOver event) {
        holder = event.toUnit();
        entryIds.add(event.entryId());
    }

    @EventSourcingHandler
    void on(InformationRequested event) {
        openRequests.put(event.entryId(), new OpenRequest(event.entryId(), event.informationType()));
        entryIds.add(event.entryId());
    }

    @EventSourcingHandler
    void on(InformationProvided event) {
        if (event.answersRequestId() != null) {
            answeredBy.put(event.entryId(), openRequests.remove(event.answersRequestId()));
        }
        remember(event);
    }

    @EventSourcingHandler
    void on(WorkRecorded event) {
        remember(event);
    }

    @EventSourcingHandler
    void on(DecisionRecorded event) {
        remember(event);
    }

    @EventSourcingHandler
    void on(CaseResolved event) {
        resolved = true;
        entryIds.add(event.entryId());
    }

    @EventSourcingHandler
    void on(CaseReopened event) {
        resolved = false;
        entryIds.add(event.entryId());
    }

    @EventSourcingHandler
    void on(SatisfactionRecorded event) {
        remember(event);
    }

    @EventSourcingHandler
    void on(EntryCorrected event) {
        entryIds.add(event.entryId());
        if (event.voids()) {
            voided.add(event.correctedEntryId());
            OpenRequest answered = answeredBy.remove(event.correctedEntryId());
            if (answered != null) {
                openRequests.put(answered.requestId(), answered);
            }
        } else {
            correctable.put(event.correctedEntryId(), event.replacement());
        }
    }

    private void remember(CorrectableEntry entry) {
        entryIds.add(entry.entryId());
        correctable.put(entry.entryId(), entry);
    }
}
