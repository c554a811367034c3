package dk.casejourney.audit;

import dk.casejourney.audit.api.DeadLetterList;
import dk.casejourney.audit.api.DeadLetterRetry;
import dk.casejourney.audit.api.FindDeadLettersQuery;
import dk.casejourney.audit.api.RetryDeadLettersCommand;
import dk.casejourney.common.RuleViolation;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.queryhandling.QueryHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The processors' dead-letter queues (Axon's JDBC sequenced dead-letter queue, see common.AxonConfiguration):
 * what is parked and why, and retrying it.
 */
@Component
class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private final Projections projections;

    DeadLetters(Projections projections) {
        this.projections = projections;
    }

    /** A summary for the projection list: counts and the first parked event. */
    record Summary(long letters, long cases, String firstCaseId, Long firstSequenceNumber, String firstEventId,
                   String firstError) {
    }

    static Summary summary(EventProcessingConfiguration processing, String group) {
        SequencedDeadLetterQueue<EventMessage<?>> queue = processing.deadLetterQueue(group).orElse(null);
        if (queue == null) {
            return null;
        }
        long letters = queue.size();
        if (letters == 0) {
            return new Summary(0, 0, null, null, null, null);
        }
        for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue.deadLetters()) {
            for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                DeadLetterList.Letter first = letter(letter);
                return new Summary(letters, queue.amountOfSequences(), caseOf(letter), first.sequenceNumber(),
                                   first.eventId(), first.cause());
            }
        }
        return new Summary(letters, queue.amountOfSequences(), null, null, null, null);
    }

    /** Empty for a processing group that does not exist (or has no dead-letter queue). */
    @QueryHandler
    Optional<DeadLetterList> handle(FindDeadLettersQuery query) {
        if (projections.processing().eventProcessor(query.processingGroup()).isEmpty()
                || projections.processing().deadLetterQueue(query.processingGroup()).isEmpty()) {
            return Optional.empty();
        }
        SequencedDeadLetterQueue<EventMessage<?>> queue = queue(query.processingGroup());
        List<DeadLetterList.ParkedCase> parked = new ArrayList<>();
        for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue.deadLetters()) {
            if (parked.size() >= query.limit()) {
                break;
            }
            List<DeadLetterList.Letter> letters = new ArrayList<>();
            String caseId = null;
            for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                caseId = caseId == null ? caseOf(letter) : caseId;
                letters.add(letter(letter));
            }
            parked.add(new DeadLetterList.ParkedCase(caseId, letters));
        }
        return Optional.of(new DeadLetterList(query.processingGroup(), queue.size(), queue.amountOfSequences(),
                                              parked));
    }

    @CommandHandler
    DeadLetterRetry handle(RetryDeadLettersCommand command) {
        String group = command.processingGroup();
        SequencedDeadLetterQueue<EventMessage<?>> queue = queue(group);
        SequencedDeadLetterProcessor<EventMessage<?>> processor =
                projections.processing().sequencedDeadLetterProcessor(group).orElseThrow(() -> notFound(group));
        // Each case once: a sequence that fails again is requeued (its last-touched time moves on), so a bound
        // of the cases parked now keeps this from looping over the same failing case.
        long cases = queue.amountOfSequences();
        int retried = 0;
        int processed = 0;
        for (long i = 0; i < cases && queue.size() > 0; i++) {
            retried++;
            if (processor.processAny()) {
                processed++;
            }
        }
        LOG.info("Dead letters of {}: {} case(s) retried, {} processed, {} event(s) still parked", group, retried,
                 processed, queue.size());
        return new DeadLetterRetry(group, retried, processed, queue.size());
    }

    private SequencedDeadLetterQueue<EventMessage<?>> queue(String group) {
        if (projections.processing().eventProcessor(group).isEmpty()) {
            throw notFound(group);
        }
        return projections.processing().deadLetterQueue(group).orElseThrow(() -> notFound(group));
    }

    private static RuleViolation notFound(String group) {
        return new RuleViolation(RuleViolation.Kind.NOT_FOUND, "name", "no processing group " + group
                + " with a dead-letter queue");
    }

    private static String caseOf(DeadLetter<? extends EventMessage<?>> letter) {
        return letter.message() instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : null;
    }

    private static DeadLetterList.Letter letter(DeadLetter<? extends EventMessage<?>> letter) {
        EventMessage<?> message = letter.message();
        Long sequenceNumber = message instanceof DomainEventMessage<?> domain ? domain.getSequenceNumber() : null;
        String cause = letter.cause().map(c -> Positions.mask(c.type() + (c.message() == null ? "" : ": " + c.message())))
                             .orElse(null);
        return new DeadLetterList.Letter(message.getIdentifier(), message.getPayloadType().getSimpleName(),
                                         sequenceNumber, letter.enqueuedAt(), letter.lastTouched(), cause);
    }
}
