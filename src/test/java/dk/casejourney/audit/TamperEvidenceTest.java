package dk.casejourney.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.casejourney.LedgerHttpTest;
import org.axonframework.common.DateTimeUtils;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MvcResult;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Someone who can write the database but holds neither the chain key nor the signing key: an edited payload
 * with the chain recomputed in plain SHA-256 is found by the keyed chain; the newest events of a case deleted
 * after a checkpoint are found by the checkpoint. Shares its application context with SignInThrottleTest (same
 * properties); scheduled checkpoints are held off so that only the test's own are taken.
 */
@TestPropertySource(properties = {"ledger.security.public-api-description=false", "ledger.audit.checkpoint-first=PT1H"})
class TamperEvidenceTest extends LedgerHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void givenAnEditedPayloadWithThePlainSha256ChainRecomputed_whenVerified_thenTheEditIsFound() throws Exception {
        for (boolean keepMarker : new boolean[]{false, true}) {
            String caseId = caseWithThreeEvents();
            List<Map<String, Object>> original = rows(caseId);
            assertThat(verification(caseId).path("valid").asBoolean()).isTrue();

            // The attacker's forgery: edit event 1, then rechain events 1 and 2 as the unkeyed chain does.
            String previous = digest(original.get(0));
            for (int seq = 1; seq < original.size(); seq++) {
                Map<String, Object> row = original.get(seq);
                byte[] payload = (byte[]) row.get("payload");
                if (seq == 1) {
                    payload = new String(payload, StandardCharsets.UTF_8).replace("\"QUESTION\"", "\"COMPLAINT\"")
                                                                          .getBytes(StandardCharsets.UTF_8);
                }
                ObjectNode metaData = (ObjectNode) JSON.readTree((byte[]) row.get("meta_data"));
                if (!keepMarker) {
                    metaData.remove(EventChain.ALGORITHM);
                }
                String payloadDigest = EventChain.payloadDigest((String) row.get("payload_type"),
                                                                (String) row.get("payload_revision"), payload);
                EventChain.Link link = new EventChain.Link(
                        (String) row.get("type"), caseId, seq, (String) row.get("event_identifier"),
                        DateTimeUtils.formatInstant(DateTimeUtils.parseInstant((String) row.get("time_stamp"))),
                        (String) row.get("payload_type"), (String) row.get("payload_revision"), payload,
                        EventChain.canonicalMetaData(metaData, JSON));
                String digest = EventChain.digest(previous, link, payloadDigest);
                metaData.put(EventChain.DIGEST, digest).put(EventChain.PREVIOUS, previous)
                        .put(EventChain.PAYLOAD_DIGEST, payloadDigest);
                jdbc.sql("UPDATE domain_event_entry SET payload = ?, meta_data = ? WHERE event_identifier = ?")
                    .params(payload, JSON.writeValueAsBytes(metaData), row.get("event_identifier")).update();
                previous = digest;
            }

            JsonNode broken = verification(caseId);
            assertThat(broken.path("valid").asBoolean()).as("marker kept: " + keepMarker).isFalse();
            assertThat(broken.path("firstBrokenLink").path("sequenceNumber").asLong()).isEqualTo(1);
            assertThat(broken.path("firstBrokenLink").path("reason").asText())
                    .isEqualTo(keepMarker ? "METADATA_ALTERED" : "CHAIN_BROKEN");
            System.out.println("forged payload, plain SHA-256 rechained (marker kept: " + keepMarker + "): "
                                       + broken.path("firstBrokenLink"));
            restore(original);
            assertThat(verification(caseId).path("valid").asBoolean()).isTrue();
        }
    }

    @Test
    void givenACheckpoint_whenTheNewestEventsOfACaseAreDeleted_thenTheLedgerVerificationFindsIt() throws Exception {
        String caseId = caseWithThreeEvents();
        List<Map<String, Object>> original = rows(caseId);
        MvcResult taken = perform("admin", post("/api/admin/ledger/checkpoints"));
        assertThat(taken.getResponse().getStatus()).isEqualTo(201);
        JsonNode checkpoint = json.readTree(taken.getResponse().getContentAsString());
        assertThat(checkpoint.path("upToIndex").asLong()).isGreaterThanOrEqualTo(((Number) original.get(2)
                .get("global_index")).longValue());
        assertThat(signatureHolds(checkpoint)).as("verifiable with the exported public key alone").isTrue();
        assertThat(getAs("auditor", "/api/admin/ledger/checkpoints").findValuesAsText("signature"))
                .contains(checkpoint.path("signature").asText());
        JsonNode before = getAs("admin", "/api/admin/ledger/verification");
        assertThat(before.path("valid").asBoolean()).as(before.toString()).isTrue();

        jdbc.sql("DELETE FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number >= 1")
            .param(caseId).update();

        assertThat(verification(caseId).path("valid").asBoolean())
                .as("the truncated chain alone still looks whole").isTrue();
        JsonNode after = getAs("admin", "/api/admin/ledger/verification");
        assertThat(after.path("valid").asBoolean()).isFalse();
        JsonNode newest = after.path("checkpoints").get(0);
        assertThat(newest.path("checkpointId").asLong()).isEqualTo(checkpoint.path("id").asLong());
        assertThat(newest.path("signatureValid").asBoolean()).isTrue();
        assertThat(newest.path("headsMatch").asBoolean()).isFalse();
        System.out.println("newest events deleted after checkpoint: " + newest);

        restore(original);
        assertThat(getAs("admin", "/api/admin/ledger/verification").path("valid").asBoolean()).isTrue();
    }

    private String caseWithThreeEvents() throws Exception {
        String caseId = openCase(uniqueCpr());
        for (int i = 0; i < 2; i++) {
            record(caseId, "contacts", """
                    {"channel":"PHONE","direction":"INBOUND","unit":"contact-center","purpose":"QUESTION",
                     "startedAt":"%s","endedAt":"%s"}""".formatted(at(5 + i * 10), at(10 + i * 10)));
        }
        return caseId;
    }

    private JsonNode verification(String caseId) throws Exception {
        return getAs("auditor", "/api/audit/cases/" + caseId + "/verification");
    }

    private List<Map<String, Object>> rows(String caseId) {
        return jdbc.sql("SELECT * FROM domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number")
                   .param(caseId).query().listOfRows();
    }

    private static String digest(Map<String, Object> row) throws Exception {
        return JSON.readTree((byte[]) row.get("meta_data")).get(EventChain.DIGEST).asText();
    }

    /** Puts the rows back exactly as they were (deleted ones inserted again with their position). */
    private void restore(List<Map<String, Object>> rows) {
        for (Map<String, Object> row : rows) {
            jdbc.sql("DELETE FROM domain_event_entry WHERE event_identifier = ?").param(row.get("event_identifier"))
                .update();
            List<String> columns = new ArrayList<>(row.keySet());
            jdbc.sql("INSERT INTO domain_event_entry (" + String.join(", ", columns) + ") VALUES ("
                             + String.join(", ", columns.stream().map(column -> "?").toList()) + ")")
                .params(columns.stream().map(row::get).toList())
                .update();
        }
    }

    private static boolean signatureHolds(JsonNode checkpoint) throws Exception {
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(
                new X509EncodedKeySpec(Base64.getDecoder().decode(checkpoint.path("publicKey").asText())));
        Signature signature = Signature.getInstance("Ed25519");
        signature.initVerify(key);
        String statement = "casejourney-checkpoint-1\n" + checkpoint.path("takenAt").asText() + "\n"
                + checkpoint.path("upToIndex").asLong() + "\n" + checkpoint.path("aggregates").asLong() + "\n"
                + checkpoint.path("headsDigest").asText() + "\n";
        signature.update(statement.getBytes(StandardCharsets.UTF_8));
        return signature.verify(Base64.getDecoder().decode(checkpoint.path("signature").asText()));
    }
}
