package dk.casejourney.journey.api;

/**
 * Search cases; every criterion is optional. Answers {@link CaseList}. The CPR number is matched through
 * the citizen's pseudonym, so the read model never stores it for searching. {@code sourceRef} finds cases
 * imported from an event log by their trace's name.
 */
public record FindCasesQuery(String cpr, String unit, CaseStatus status, String sourceRef, int offset, int limit) {

    public FindCasesQuery(String cpr, String unit, CaseStatus status, int offset, int limit) {
        this(cpr, unit, status, null, offset, limit);
    }

    @Override
    public String toString() {
        return "FindCasesQuery[cpr=" + (cpr == null ? "none" : "masked") + ", unit=" + unit + ", status=" + status
                + ", sourceRef=" + sourceRef + ", offset=" + offset + ", limit=" + limit + "]";
    }
}
