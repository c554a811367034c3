package dk.casejourney.citizens;

import dk.casejourney.citizens.api.CitizenErased;
import dk.casejourney.citizens.api.EraseCitizenCommand;
import dk.casejourney.common.RuleViolation;
import dk.casejourney.privacy.InMemoryCitizenKeys;
import dk.casejourney.privacy.PersonalDataVault;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CitizenRecordTest {

    private final InMemoryCitizenKeys keys = new InMemoryCitizenKeys();
    private final PersonalDataVault vault = new PersonalDataVault(keys);
    private AggregateTestFixture<CitizenRecord> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(CitizenRecord.class);
        fixture.registerInjectableResource(vault);
    }

    @Test
    void givenACitizenWithSealedData_whenErased_thenKeysAreDestroyedAndTheErasureIsRecorded() {
        PersonalDataVault.Sealed sealed = vault.seal("P-1", "2906841357");

        fixture.givenNoPriorActivity()
               .when(new EraseCitizenCommand("P-1"))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new CitizenErased("P-1", 1))
               .expectResultMessagePayload("P-1");

        assertThat(vault.open(sealed.keyId(), sealed.text())).isEmpty();
    }

    @Test
    void givenAnErasedCitizen_whenErasedAgain_thenRefusedAndNothingRecorded() {
        vault.seal("P-1", "2906841357");
        vault.erase("P-1");

        fixture.given(new CitizenErased("P-1", 1))
               .when(new EraseCitizenCommand("P-1"))
               .expectException(RuleViolation.class)
               .expectNoEvents();
    }

    @Test
    void givenAnErasedCitizenWhoReturned_whenErasedAgain_thenTheNewKeyIsDestroyed() {
        vault.seal("P-1", "2906841357");
        vault.erase("P-1");
        PersonalDataVault.Sealed returned = vault.seal("P-1", "2906841357");

        fixture.given(new CitizenErased("P-1", 1))
               .when(new EraseCitizenCommand("P-1"))
               .expectEvents(new CitizenErased("P-1", 1));

        assertThat(vault.readable(returned.keyId())).isFalse();
    }

    @Test
    void givenAnUnknownCitizen_whenErased_thenRefusedAndNothingRecorded() {
        fixture.givenNoPriorActivity()
               .when(new EraseCitizenCommand("P-unknown"))
               .expectException(RuleViolation.class)
               .expectNoEvents();
    }
}
