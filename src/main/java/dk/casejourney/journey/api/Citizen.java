package dk.casejourney.journey.api;

/**
 * The only place where events carry a citizen's personal data, so that it can be encrypted and erased in
 * one place. Never logged: {@link #toString()} is masked.
 */
public record Citizen(String cpr) {

    @Override
    public String toString() {
        return "Citizen[personal data]";
    }
}
