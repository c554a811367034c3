package dk.casejourney.citizens;

import dk.casejourney.citizens.api.CitizenErased;
import dk.casejourney.citizens.api.EraseCitizenCommand;
import dk.casejourney.common.RuleViolation;
import dk.casejourney.privacy.PersonalDataVault;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * What the ledger records about a citizen as a person rather than about one case: their erasures. Keyed by
 * pseudonym, so one erasure is one event however many cases the citizen has, and no case's history or
 * journey figures change. The keys are destroyed in the same transaction as the event is stored, so an
 * erasure is either done and recorded, or neither.
 */
@Aggregate
class CitizenRecord {

    @AggregateIdentifier
    private String citizenRecordId;

    CitizenRecord() {
        // Axon rebuilds the record from its events through this constructor.
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    String handle(EraseCitizenCommand command, PersonalDataVault vault) {
        int destroyed = vault.erase(command.citizenPseudonym());
        if (destroyed == 0) {
            throw RuleViolation.conflict("cpr", "the ledger holds no readable personal data of this citizen "
                    + "(never recorded, or erased already)");
        }
        apply(new CitizenErased(command.citizenPseudonym(), destroyed));
        return command.citizenPseudonym();
    }

    @EventSourcingHandler
    void on(CitizenErased event) {
        citizenRecordId = EraseCitizenCommand.recordId(event.citizenPseudonym());
    }
}
