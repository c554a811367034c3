package dk.casejourney.journey.api;

/**
 * Search cases; every criterion is optional. Answers {@link CaseList}. The CPR number is matched through
 * the citizen's pseudonym, so the read model never stores it for searching.
 */
public record FindCasesQuery(String cpr, String unit, CaseStatus status, int offset, int limit) {

    @Override
    public String toString() {
        return "FindCasesQuery[cpr=" + (cpr == null ? "none" : "masked") + ", unit=" + unit + ", status=" + status
                + ", offset=" + offset + ", limit=" + limit + "]";
    }
}
