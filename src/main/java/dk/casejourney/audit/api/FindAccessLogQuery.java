package dk.casejourney.audit.api;

/** Who looked at a citizen's cases and when. Answers {@link AccessLog}. */
public record FindAccessLogQuery(String cpr) {

    @Override
    public String toString() {
        return "FindAccessLogQuery[cpr=masked]";
    }
}
