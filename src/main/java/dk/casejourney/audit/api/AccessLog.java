package dk.casejourney.audit.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/** The recorded looks at a citizen's cases, newest first. {@code citizen} is the pseudonym, never the CPR. */
public record AccessLog(String citizen, List<String> caseIds, List<Entry> entries) {

    /**
     * @param what     the kind of read (the query's name)
     * @param criteria what was asked for; a searched CPR number appears as its pseudonym
     * @param caseIds  the cases the read returned
     */
    public record Entry(long id, Instant at, String who, String purpose, String what, JsonNode criteria,
                        List<String> caseIds) {
    }
}
