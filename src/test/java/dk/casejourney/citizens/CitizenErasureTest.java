package dk.casejourney.citizens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.casejourney.LedgerHttpTest;
import dk.casejourney.citizens.api.EraseCitizenCommand;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Erasing a citizen makes their CPR number unreadable on every case, in the read model and after a
 * rebuild, while everything else about their cases stays as it was.
 */
class CitizenErasureTest extends LedgerHttpTest {

    @Autowired
    private EventProcessingConfiguration processing;
    @Autowired
    private dk.casejourney.privacy.Pseudonymizer pseudonymizer;

    @Test
    void erasureHidesTheCitizenEverywhereAndChangesNoFigure() throws Exception {
        String cpr = uniqueCpr();
        String dashed = cpr.substring(0, 6) + "-" + cpr.substring(6);
        String otherCpr = uniqueCpr();
        String first = openCase(cpr);
        record(first, "contacts", """
                {"channel":"PHONE","direction":"INBOUND","unit":"contact-center","purpose":"QUESTION",
                 "startedAt":"%s","endedAt":"%s"}""".formatted(at(5), at(15)));
        record(first, "handovers", """
                {"fromUnit":"contact-center","toUnit":"back-office","reason":"NEEDS_EXPERTISE","occurredAt":"%s"}"""
                .formatted(at(20)));
        record(first, "information-requests", """
                {"informationType":"INCOME","unit":"back-office","occurredAt":"%s"}""".formatted(at(25)));
        record(first, "resolution", """
                {"unit":"back-office","occurredAt":"%s"}""".formatted(at(60)));
        String second = openCase(dashed);
        String other = openCase(otherCpr);

        JsonNode viewBefore = getAs("caseworker", "/api/cases/" + first);
        JsonNode historyBefore = getAs("auditor", "/api/cases/" + first + "/history");
        assertThat(viewBefore.get("cpr").asText()).isEqualTo(cpr);
        assertThat(viewBefore.get("citizenErased").asBoolean()).isFalse();
        assertThat(historyBefore.get("citizenErased").asBoolean()).isFalse();
        assertThat(historyBefore.get("entries").get(0).get("recordedBy").asText()).isEqualTo("caseworker");
        assertThat(metaData(first)).contains("\"recordedBy\":\"caseworker\"");
        assertThat(storedEvents()).noneMatch(stored -> stored.contains(cpr) || stored.contains(dashed));

        MvcResult erasure = perform("admin", post("/api/citizens/erasures").contentType(MediaType.APPLICATION_JSON)
                                                                          .content("{\"cpr\":\"" + dashed + "\"}"));

        assertThat(erasure.getResponse().getStatus()).isEqualTo(200);
        String pseudonym = json.readTree(erasure.getResponse().getContentAsString()).get("citizenPseudonym").asText();
        assertThat(pseudonym).isEqualTo(viewBefore.get("citizenPseudonym").asText());
        assertErased(first, viewBefore, historyBefore);
        assertThat(getAs("caseworker", "/api/cases/" + second).get("citizenErased").asBoolean()).isTrue();
        assertThat(getAs("caseworker", "/api/cases/" + other).get("cpr").asText()).isEqualTo(otherCpr);
        await().atMost(Duration.ofSeconds(20))
               .until(() -> sealedCprs(first, second).stream().allMatch(sealed -> sealed == null));
        assertThat(metaData(EraseCitizenCommand.recordId(pseudonym))).contains("\"recordedBy\":\"admin\"");
        assertThat(storedEvents()).noneMatch(stored -> stored.contains(cpr) || stored.contains(dashed));
        assertThat(getAs("caseworker", "/api/cases?cpr=" + cpr).get("total").asLong())
                .as("the erased number finds nothing").isZero();

        rebuildCaseViews();

        assertErased(first, viewBefore, historyBefore);
        assertThat(sealedCprs(first, second)).containsOnly((String) null);
        assertThat(getAs("caseworker", "/api/cases/" + other).get("cpr").asText()).isEqualTo(otherCpr);

        MvcResult again = perform("admin", post("/api/citizens/erasures").contentType(MediaType.APPLICATION_JSON)
                                                                        .content("{\"cpr\":\"" + cpr + "\"}"));
        assertThat(again.getResponse().getStatus()).isEqualTo(409);
        assertThat(again.getResponse().getContentAsString()).doesNotContain(cpr);
    }

    @Test
    void givenAnErasedCitizen_whenSearchedByTheirNumber_thenNothingLinksItToTheirCasesWhileFiguresAndReadsRemain()
            throws Exception {
        String cpr = uniqueCpr();
        String caseId = openCase(cpr);
        record(caseId, "contacts", """
                {"channel":"PHONE","direction":"INBOUND","unit":"contact-center","purpose":"QUESTION",
                 "startedAt":"%s","endedAt":"%s"}""".formatted(at(5), at(15)));
        // Resolved, so that its figures no longer run to now and can be compared before and after.
        record(caseId, "resolution", """
                {"unit":"contact-center","occurredAt":"%s"}""".formatted(at(20)));
        getAs("caseworker", "/api/cases/" + caseId);
        assertThat(getAs("caseworker", "/api/cases?cpr=" + cpr).get("total").asLong()).isEqualTo(1);
        assertThat(getAs("auditor", "/api/audit/access-log?cpr=" + cpr).get("entries")).isNotEmpty();
        String lookup = pseudonymizer.pseudonymOf(cpr);
        String pseudonym = getAs("caseworker", "/api/cases/" + caseId).get("citizenPseudonym").asText();
        assertThat(pseudonym).as("the pseudonym is not derived from the number").isNotEqualTo(lookup);
        JsonNode figuresBefore = await().atMost(Duration.ofSeconds(20))
                                        .until(() -> journey(caseId),
                                               figures -> figures != null
                                                       && figures.path("status").asText().equals("RESOLVED"));
        long readsBefore = readsOf(caseId);

        assertThat(perform("admin", post("/api/citizens/erasures").contentType(MediaType.APPLICATION_JSON)
                                                                 .content("{\"cpr\":\"" + cpr + "\"}"))
                           .getResponse().getStatus()).isEqualTo(200);

        assertThat(getAs("caseworker", "/api/cases?cpr=" + cpr).get("total").asLong()).isZero();
        JsonNode log = getAs("auditor", "/api/audit/access-log?cpr=" + cpr);
        assertThat(log.get("entries")).as("no access-log entry is linked to the erased number").isEmpty();
        assertThat(log.path("caseIds")).isEmpty();
        assertThat(readsOf(caseId)).as("the reads are still proven").isGreaterThanOrEqualTo(readsBefore);
        assertThat(readsBefore).isGreaterThanOrEqualTo(2);
        assertThat(journey(caseId)).as("journey figures are unchanged").isEqualTo(figuresBefore);
        List<String> everywhere = new java.util.ArrayList<>(storedEvents());
        everywhere.addAll(jdbc.sql("SELECT COALESCE(criteria, '') || ' ' || COALESCE(cpr_pseudonym, '') FROM access_log")
                              .query(String.class).list());
        everywhere.addAll(jdbc.sql("SELECT citizen_pseudonym FROM case_view").query(String.class).list());
        assertThat(everywhere).as("nothing computable from the number is stored")
                              .noneMatch(text -> text.contains(lookup) || text.contains(cpr));
    }

    @Test
    void anInvalidCprIsRefusedWithoutEchoingIt() throws Exception {
        MvcResult result = perform("admin", post("/api/citizens/erasures").contentType(MediaType.APPLICATION_JSON)
                                                                         .content("{\"cpr\":\"3213849 99\"}"));

        assertThat(result.getResponse().getStatus()).isEqualTo(400);
        assertThat(result.getResponse().getContentAsString()).contains("cpr").doesNotContain("3213849");
    }

    /** The case shows the citizen as erased; everything else, figures and history alike, is unchanged. */
    private void assertErased(String caseId, JsonNode viewBefore, JsonNode historyBefore) throws Exception {
        JsonNode view = getAs("caseworker", "/api/cases/" + caseId);
        JsonNode history = getAs("auditor", "/api/cases/" + caseId + "/history");
        assertThat(view.has("cpr")).as("no cpr once erased").isFalse();
        assertThat(view.get("citizenErased").asBoolean()).isTrue();
        assertThat(withoutCitizen(view)).isEqualTo(withoutCitizen(viewBefore));
        assertThat(history.get("citizenErased").asBoolean()).isTrue();
        assertThat(history.get("entries")).isEqualTo(historyBefore.get("entries"));
    }

    private static JsonNode withoutCitizen(JsonNode view) {
        ObjectNode copy = view.deepCopy();
        copy.remove(List.of("cpr", "citizenErased"));
        return copy;
    }

    /** Empties the case views and replays the whole ledger into them, as an operator's rebuild does. */
    private void rebuildCaseViews() {
        StreamingEventProcessor processor = processing.eventProcessor("case-views", StreamingEventProcessor.class)
                                                      .orElseThrow();
        processor.shutDown();
        processor.resetTokens();
        processor.start();
        // Axon ends replay mode only with the first event after the reset point: wait for the position instead.
        long head = jdbc.sql("SELECT MAX(global_index) FROM domain_event_entry").query(Long.class).single();
        await().atMost(Duration.ofSeconds(30)).until(() -> !processor.processingStatus().isEmpty()
                && processor.processingStatus().values().stream()
                            .allMatch(status -> status.getCurrentPosition().orElse(-1) >= head));
    }

    /** The case's journey figures, without the moment they were asked for. */
    private JsonNode journey(String caseId) throws Exception {
        MvcResult result = perform("auditor", org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                .get("/api/cases/" + caseId + "/journey"));
        if (result.getResponse().getStatus() != 200) {
            return null;
        }
        ObjectNode figures = (ObjectNode) json.readTree(result.getResponse().getContentAsString());
        figures.remove("asOf");
        return figures;
    }

    private long readsOf(String caseId) {
        return jdbc.sql("SELECT COUNT(*) FROM access_log_case WHERE case_id = ?").param(caseId).query(Long.class)
                   .single();
    }

    private List<String> sealedCprs(String... caseIds) {
        return List.of(caseIds).stream()
                   .map(caseId -> jdbc.sql("SELECT sealed_cpr FROM case_citizen WHERE case_id = ?").param(caseId)
                                      .query(String.class).optional().orElse(null))
                   .toList();
    }

    private String metaData(String aggregateId) {
        return jdbc.sql("SELECT meta_data FROM domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number")
                   .param(aggregateId)
                   .query((rs, row) -> new String(rs.getBytes(1), StandardCharsets.UTF_8))
                   .list().get(0);
    }

    private List<String> storedEvents() {
        return jdbc.sql("SELECT payload, meta_data FROM domain_event_entry")
                   .query((rs, row) -> new String(rs.getBytes(1), StandardCharsets.UTF_8) + "\n"
                           + new String(rs.getBytes(2), StandardCharsets.UTF_8))
                   .list();
    }
}
