package dk.casejourney.journey;

import dk.casejourney.LedgerApplication;
import dk.casejourney.common.Identifiers;
import dk.casejourney.common.LedgerMetadata;
import dk.casejourney.common.RuleViolation;
import dk.casejourney.journey.api.CaseEvent;
import dk.casejourney.journey.api.CaseReopened;
import dk.casejourney.journey.api.CaseResolved;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.ContactRecorded;
import dk.casejourney.journey.api.Direction;
import dk.casejourney.journey.api.OpenCaseCommand;
import dk.casejourney.journey.api.RecordContactCommand;
import dk.casejourney.journey.api.ReopenReason;
import dk.casejourney.journey.api.ResolveCaseCommand;
import dk.casejourney.journey.api.ServiceArea;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A case this instance keeps, written meanwhile by another instance: the kept case is used without asking the
 * store (CaseCache), so what another instance recorded must still decide every answer. The other instance's write
 * is made as its store makes it: an event appended through the event store (chained, stored), not through this
 * instance's cases.
 */
class StaleCaseTest {

    private static final Instant T = Instant.parse("2024-04-09T07:00:00Z");

    @TempDir
    static Path dataDir;
    private static ConfigurableApplicationContext ledger;
    private static CommandGateway commands;
    private static EventStore eventStore;

    @BeforeAll
    static void start() {
        ledger = new SpringApplicationBuilder(LedgerApplication.class).run(
                "--ledger.data-dir=" + dataDir, "--spring.main.web-application-type=none", "--logging.level.root=WARN");
        commands = ledger.getBean(CommandGateway.class);
        eventStore = ledger.getBean(EventStore.class);
    }

    @AfterAll
    static void stop() {
        ledger.close();
    }

    private String open() {
        String caseId = Identifiers.random();
        commands.sendAndWait(new OpenCaseCommand(caseId, "o", "0101401234", CitizenGroup.ELDERLY, ServiceArea.PENSION,
                                                 "101", Channel.PHONE, "KBH-KC", T));
        return caseId;
    }

    private RecordContactCommand contact(String caseId, String entryId, int minutes) {
        Instant at = T.plusSeconds(60L * minutes);
        return new RecordContactCommand(caseId, entryId, Channel.PHONE, Direction.INBOUND, "KBH-KC", null,
                                        ContactPurpose.QUESTION, at, at, at.plusSeconds(30));
    }

    /** Another instance's write: appended to the store, this instance's kept case untouched. */
    private void writtenElsewhere(String caseId, CaseEvent event) {
        List<? extends DomainEventMessage<?>> stored = events(caseId);
        DomainEventMessage<?> last = stored.get(stored.size() - 1);
        eventStore.publish(new GenericDomainEventMessage<>(last.getType(), caseId, last.getSequenceNumber() + 1, event,
                                                           MetaData.with(LedgerMetadata.RECORDED_BY, "elsewhere")));
    }

    private List<? extends DomainEventMessage<?>> events(String caseId) {
        return eventStore.readEvents(caseId).asStream().toList();
    }

    private double retries() {
        return ledger.getBean(MeterRegistry.class).counter("ledger.commands.concurrent.retries").count();
    }

    @Test
    void givenACaseKeptHereThatAnotherInstanceWroteSince_whenAContactIsRecordedHere_thenItFollowsTheOtherWrite() {
        String caseId = open();
        commands.sendAndWait(contact(caseId, "here-1", 1));
        Instant elsewhere = T.plusSeconds(120);
        writtenElsewhere(caseId, new ContactRecorded(caseId, "elsewhere-1", Channel.EMAIL, Direction.INBOUND, "KBH-KC",
                                                     null, ContactPurpose.QUESTION, elsewhere, elsewhere,
                                                     elsewhere.plusSeconds(30), elsewhere));
        double retriesBefore = retries();

        commands.sendAndWait(contact(caseId, "here-2", 3));

        List<? extends DomainEventMessage<?>> stored = events(caseId);
        assertThat(stored).extracting(DomainEventMessage::getSequenceNumber).containsExactly(0L, 1L, 2L, 3L);
        assertThat(stored).extracting(event -> ((CaseEvent) event.getPayload()).entryId())
                          .containsExactly("o", "here-1", "elsewhere-1", "here-2");
        // Kept, the case was used unchecked and its write collided once (unless the collector dropped it: checked).
        assertThat(retries() - retriesBefore).isLessThanOrEqualTo(1.0);
    }

    @Test
    void givenAResolvedCaseKeptHereThatAnotherInstanceReopened_whenAContactIsRecordedHere_thenItIsRecorded() {
        String caseId = open();
        commands.sendAndWait(new ResolveCaseCommand(caseId, "r", "KBH-KC", T.plusSeconds(60)));
        writtenElsewhere(caseId, new CaseReopened(caseId, "reopened-elsewhere", ReopenReason.NEW_INFORMATION,
                                                  "KBH-KC", T.plusSeconds(120)));
        double retriesBefore = retries();

        commands.sendAndWait(contact(caseId, "here", 3));

        assertThat(events(caseId)).extracting(event -> ((CaseEvent) event.getPayload()).entryId())
                                  .containsExactly("o", "r", "reopened-elsewhere", "here");
        // Kept, the resolved case refused; the refusal was found stale and the command sent again, once.
        assertThat(retries() - retriesBefore).isLessThanOrEqualTo(1.0);
    }

    @Test
    void givenAnOpenCaseKeptHereThatAnotherInstanceResolved_whenAContactIsRecordedHere_thenItIsRefusedAsResolved() {
        String caseId = open();
        commands.sendAndWait(contact(caseId, "here-1", 1));
        writtenElsewhere(caseId, new CaseResolved(caseId, "resolved-elsewhere", "KBH-KC", T.plusSeconds(120)));

        CommandExecutionException refused = catchThrowableOfType(
                () -> commands.sendAndWait(contact(caseId, "here-2", 3)), CommandExecutionException.class);

        assertThat(refused).as("refused on the stored, resolved case").isNotNull();
        assertThat(refused.getDetails()).get().isInstanceOfSatisfying(RuleViolation.Details.class, details -> {
            assertThat(details.kind()).isEqualTo(RuleViolation.Kind.CONFLICT);
            assertThat(details.reason()).contains("resolved");
        });
        assertThat(events(caseId)).extracting(event -> ((CaseEvent) event.getPayload()).entryId())
                                  .containsExactly("o", "here-1", "resolved-elsewhere");
    }
}
