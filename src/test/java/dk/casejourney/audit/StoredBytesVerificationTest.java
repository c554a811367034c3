package dk.casejourney.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dk.casejourney.LedgerHttpTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chain is checked against the bytes as stored, not against the event as today's classes read it back: an
 * edit the deserializer ignores (an unknown field) is still found. Same context as TamperEvidenceTest.
 */
@TestPropertySource(properties = {"ledger.security.public-api-description=false", "ledger.audit.checkpoint-first=PT1H"})
class StoredBytesVerificationTest extends LedgerHttpTest {

    @Test
    void givenAStoredPayloadWithAFieldTheEventClassIgnores_whenTheCaseIsVerified_thenThePayloadIsFoundAltered()
            throws Exception {
        String caseId = openCase(uniqueCpr());
        record(caseId, "contacts", """
                {"channel":"PHONE","direction":"INBOUND","unit":"contact-center","purpose":"QUESTION",
                 "startedAt":"%s","endedAt":"%s"}""".formatted(at(5), at(10)));
        assertThat(verification(caseId).path("valid").asBoolean()).isTrue();
        byte[] original = jdbc.sql("SELECT payload FROM domain_event_entry WHERE aggregate_identifier = ? "
                                           + "AND sequence_number = 1").param(caseId).query(byte[].class).single();
        String edited = new String(original, StandardCharsets.UTF_8).replaceFirst("\\{", "{\"ignored\":1,");
        jdbc.sql("UPDATE domain_event_entry SET payload = ? WHERE aggregate_identifier = ? AND sequence_number = 1")
            .params(edited.getBytes(StandardCharsets.UTF_8), caseId).update();
        try {
            JsonNode broken = verification(caseId);
            assertThat(broken.path("valid").asBoolean()).isFalse();
            assertThat(broken.path("firstBrokenLink").path("sequenceNumber").asLong()).isEqualTo(1);
            assertThat(broken.path("firstBrokenLink").path("reason").asText()).isEqualTo("PAYLOAD_ALTERED");
            JsonNode ledger = getAs("admin", "/api/admin/ledger/verification");
            assertThat(ledger.path("valid").asBoolean()).isFalse();
            assertThat(ledger.path("eventsChecked").asLong()).isEqualTo(eventCount());
        } finally {
            jdbc.sql("UPDATE domain_event_entry SET payload = ? WHERE aggregate_identifier = ? AND sequence_number = 1")
                .params(original, caseId).update();
        }
        assertThat(verification(caseId).path("valid").asBoolean()).isTrue();
    }

    private JsonNode verification(String caseId) throws Exception {
        return getAs("auditor", "/api/audit/cases/" + caseId + "/verification");
    }
}
