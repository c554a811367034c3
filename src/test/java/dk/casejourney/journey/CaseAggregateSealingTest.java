package dk.casejourney.journey;

import dk.casejourney.common.RuleViolation;
import dk.casejourney.journey.api.CaseOpened;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.OpenCaseCommand;
import dk.casejourney.journey.api.ServiceArea;
import dk.casejourney.privacy.InMemoryCitizenKeys;
import dk.casejourney.privacy.PersonalDataVault;
import dk.casejourney.privacy.Pseudonymizer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Opening a case seals the citizen's CPR number; analysis keeps the pseudonym. */
class CaseAggregateSealingTest {

    private static final String CPR = "2906841357";
    private final InMemoryCitizenKeys keys = new InMemoryCitizenKeys();
    private final PersonalDataVault vault = new PersonalDataVault(keys);
    private final Pseudonymizer pseudonymizer = new Pseudonymizer("a-test-secret-of-some-length");
    private AggregateTestFixture<CaseAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(CaseAggregate.class);
        fixture.registerInjectableResource(pseudonymizer);
        fixture.registerInjectableResource(vault);
    }

    private static OpenCaseCommand open(String cpr) {
        return new OpenCaseCommand("case-1", "entry-1", cpr, CitizenGroup.ELDERLY, ServiceArea.values()[0], "101",
                                   Channel.PHONE, "contact-center", Instant.parse("2024-03-01T09:00:00Z"));
    }

    @Test
    void givenNoCase_whenOpened_thenTheCprIsSealedUnderTheCitizensKeyAndThePseudonymIsPlain() {
        fixture.givenNoPriorActivity()
               .when(open("290684-1357"))
               .expectSuccessfulHandlerExecution()
               .expectResultMessagePayload("entry-1");
        List<EventMessage<?>> events = fixture.getEventStore().readEvents("case-1").asStream()
                                              .<EventMessage<?>>map(e -> e).toList();

        assertThat(events).hasSize(1);
        CaseOpened opened = (CaseOpened) events.get(0).getPayload();
        assertThat(opened.citizenPseudonym()).isEqualTo(pseudonymizer.pseudonymOf(CPR));
        assertThat(opened.citizen().sealedCpr()).doesNotContain(CPR).doesNotContain("1357");
        assertThat(vault.open(opened.citizen().keyId(), opened.citizen().sealedCpr())).contains(CPR);
        assertThat(opened.toString()).doesNotContain(CPR);
    }

    @Test
    void givenAnInvalidCpr_whenOpened_thenRefusedAndNoKeyIsCreated() {
        fixture.givenNoPriorActivity()
               .when(open("3213841357"))
               .expectException(RuleViolation.class)
               .expectNoEvents();

        assertThat(keys.size()).isZero();
    }
}
