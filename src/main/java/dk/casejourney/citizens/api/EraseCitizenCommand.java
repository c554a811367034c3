package dk.casejourney.citizens.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Erase a citizen's personal data: destroy the keys it is sealed with. The citizen is named by pseudonym,
 * so the CPR number never travels on the command bus.
 */
public record EraseCitizenCommand(String citizenPseudonym) {

    /** The citizen's record in the ledger; the colon keeps it apart from every case id. */
    public static String recordId(String citizenPseudonym) {
        return "citizen:" + citizenPseudonym;
    }

    @TargetAggregateIdentifier
    public String citizenRecordId() {
        return recordId(citizenPseudonym);
    }
}
