package dk.casejourney.journey.api;

/**
 * The only place where events carry a citizen's personal data, sealed with a key of the citizen's own
 * (see {@code PersonalDataVault}): destroying the key erases the data from every stored event. Never logged:
 * {@link #toString()} is masked.
 *
 * @param keyId     the citizen's key that opens {@code sealedCpr}
 * @param sealedCpr the CPR number, AES-GCM encrypted under that key
 */
public record Citizen(String keyId, String sealedCpr) {

    @Override
    public String toString() {
        return "Citizen[personal data]";
    }
}
