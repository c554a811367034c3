package dk.casejourney.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.casejourney.audit.api.ChainVerification;
import dk.casejourney.audit.api.ChainVerification.Reason;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventChainTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Builds a stored chain the way the interceptor does: each event's digest over the one before. */
    private static List<StoredEvent> chain(String caseId, int length) {
        List<StoredEvent> events = new ArrayList<>();
        String previous = "";
        for (int seq = 0; seq < length; seq++) {
            byte[] payload = ("{\"caseId\":\"" + caseId + "\",\"n\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
            ObjectNode metaData = JSON.createObjectNode().put("recordedBy", "caseworker").put("traceId", "t" + seq);
            String time = "2024-03-04T08:15:0" + seq + ".123Z";
            EventChain.Link link = new EventChain.Link("CaseAggregate", caseId, seq, "event-" + seq, time,
                                                       "dk.Event", "1", payload,
                                                       EventChain.canonicalMetaData(metaData, JSON));
            String digest = EventChain.digest(previous, link);
            metaData.put(EventChain.DIGEST, digest).put(EventChain.PREVIOUS, previous)
                    .put(EventChain.PAYLOAD_DIGEST, EventChain.payloadDigest("dk.Event", "1", payload));
            events.add(new StoredEvent(seq + 1, caseId, seq, "CaseAggregate", "event-" + seq, time, "dk.Event", "1",
                                       payload, metaData.toString().getBytes(StandardCharsets.UTF_8)));
            previous = digest;
        }
        return events;
    }

    private static ChainVerification verify(List<StoredEvent> events) {
        ChainCheck check = new ChainCheck("case-1");
        for (StoredEvent event : events) {
            if (!check.accept(event)) {
                break;
            }
        }
        return check.result();
    }

    private static StoredEvent withPayload(StoredEvent e, String payload) {
        return new StoredEvent(e.globalIndex(), e.aggregateId(), e.sequenceNumber(), e.type(), e.eventId(),
                               e.timestamp(), e.payloadType(), e.payloadRevision(),
                               payload.getBytes(StandardCharsets.UTF_8), e.metaData());
    }

    private static StoredEvent withMetaData(StoredEvent e, String metaData) {
        return new StoredEvent(e.globalIndex(), e.aggregateId(), e.sequenceNumber(), e.type(), e.eventId(),
                               e.timestamp(), e.payloadType(), e.payloadRevision(), e.payload(),
                               metaData.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void givenAnUntouchedChain_whenVerified_thenValidWithTheLastDigestAsHead() throws Exception {
        List<StoredEvent> events = chain("case-1", 4);

        ChainVerification result = verify(events);

        assertThat(result.valid()).isTrue();
        assertThat(result.eventsChecked()).isEqualTo(4);
        assertThat(result.headDigest()).isEqualTo(JSON.readTree(events.get(3).metaData()).get(EventChain.DIGEST).asText());
    }

    @Test
    void givenAnAlteredPayload_whenVerified_thenBrokenAtExactlyThatEventAsPayloadAltered() {
        List<StoredEvent> events = new ArrayList<>(chain("case-1", 4));
        events.set(2, withPayload(events.get(2), "{\"caseId\":\"case-1\",\"n\":7}"));

        ChainVerification result = verify(events);

        assertThat(result.valid()).isFalse();
        assertThat(result.eventsChecked()).isEqualTo(2);
        assertThat(result.firstBrokenLink().sequenceNumber()).isEqualTo(2);
        assertThat(result.firstBrokenLink().eventId()).isEqualTo("event-2");
        assertThat(result.firstBrokenLink().reason()).isEqualTo(Reason.PAYLOAD_ALTERED);
    }

    @Test
    void givenAnAlteredRecorder_whenVerified_thenBrokenAsMetadataAltered() {
        List<StoredEvent> events = new ArrayList<>(chain("case-1", 3));
        String metaData = new String(events.get(1).metaData(), StandardCharsets.UTF_8);
        events.set(1, withMetaData(events.get(1), metaData.replace("caseworker", "somebody-else")));

        ChainVerification result = verify(events);

        assertThat(result.firstBrokenLink().sequenceNumber()).isEqualTo(1);
        assertThat(result.firstBrokenLink().reason()).isEqualTo(Reason.METADATA_ALTERED);
    }

    @Test
    void givenAPayloadAndItsPayloadDigestBothReplaced_whenVerified_thenTheChainDigestStillCatchesIt() {
        List<StoredEvent> events = new ArrayList<>(chain("case-1", 3));
        String forged = "{\"caseId\":\"case-1\",\"n\":9}";
        String metaData = new String(events.get(1).metaData(), StandardCharsets.UTF_8).replace(
                EventChain.payloadDigest("dk.Event", "1", events.get(1).payload()),
                EventChain.payloadDigest("dk.Event", "1", forged.getBytes(StandardCharsets.UTF_8)));
        events.set(1, withMetaData(withPayload(events.get(1), forged), metaData));

        ChainVerification result = verify(events);

        assertThat(result.valid()).isFalse();
        assertThat(result.firstBrokenLink().sequenceNumber()).isEqualTo(1);
    }

    @Test
    void givenADeletedEvent_whenVerified_thenSequenceGapAtTheNextOne() {
        List<StoredEvent> events = new ArrayList<>(chain("case-1", 4));
        events.remove(1);

        ChainVerification result = verify(events);

        assertThat(result.firstBrokenLink().sequenceNumber()).isEqualTo(2);
        assertThat(result.firstBrokenLink().reason()).isEqualTo(Reason.SEQUENCE_GAP);
    }

    @Test
    void givenAnEventFromAnotherChain_whenVerified_thenChainBroken() {
        List<StoredEvent> events = new ArrayList<>(chain("case-1", 3));
        StoredEvent foreign = chain("case-1", 3).get(2);
        String otherPrevious = new String(foreign.metaData(), StandardCharsets.UTF_8)
                .replaceAll("\"chainPrevious\":\"[0-9a-f]+\"", "\"chainPrevious\":\"" + "0".repeat(64) + "\"");
        events.set(2, withMetaData(foreign, otherPrevious));

        ChainVerification result = verify(events);

        assertThat(result.firstBrokenLink().sequenceNumber()).isEqualTo(2);
        assertThat(result.firstBrokenLink().reason()).isEqualTo(Reason.CHAIN_BROKEN);
    }

    @Test
    void givenAnEventWithoutDigest_whenVerified_thenDigestMissing() {
        List<StoredEvent> events = new ArrayList<>(chain("case-1", 2));
        events.set(1, withMetaData(events.get(1), "{\"recordedBy\":\"caseworker\"}"));

        assertThat(verify(events).firstBrokenLink().reason()).isEqualTo(Reason.DIGEST_MISSING);
    }

    @Test
    void canonicalMetaData_sortsKeysAtEveryLevelAndLeavesOutTheChainEntries() throws Exception {
        String canonical = EventChain.canonicalMetaData(JSON.readTree("""
                {"b":1,"a":{"y":2,"x":[{"d":1,"c":2}]},"chainDigest":"d","chainPrevious":"p","chainPayloadDigest":"q"}"""),
                                                        JSON);

        assertThat(canonical).isEqualTo("{\"a\":{\"x\":[{\"c\":2,\"d\":1}],\"y\":2},\"b\":1}");
    }

    @Test
    void digest_changesWithEveryFieldItCovers() {
        byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
        EventChain.Link link = new EventChain.Link("T", "c", 0, "e", "2024-01-01T00:00:00Z", "p", "1", payload, "{}");
        String digest = EventChain.digest("", link);
        List<EventChain.Link> variants = List.of(
                new EventChain.Link("U", "c", 0, "e", "2024-01-01T00:00:00Z", "p", "1", payload, "{}"),
                new EventChain.Link("T", "d", 0, "e", "2024-01-01T00:00:00Z", "p", "1", payload, "{}"),
                new EventChain.Link("T", "c", 1, "e", "2024-01-01T00:00:00Z", "p", "1", payload, "{}"),
                new EventChain.Link("T", "c", 0, "f", "2024-01-01T00:00:00Z", "p", "1", payload, "{}"),
                new EventChain.Link("T", "c", 0, "e", "2024-01-01T00:00:01Z", "p", "1", payload, "{}"),
                new EventChain.Link("T", "c", 0, "e", "2024-01-01T00:00:00Z", "q", "1", payload, "{}"),
                new EventChain.Link("T", "c", 0, "e", "2024-01-01T00:00:00Z", "p", "2", payload, "{}"),
                new EventChain.Link("T", "c", 0, "e", "2024-01-01T00:00:00Z", "p", null, payload, "{}"),
                new EventChain.Link("T", "c", 0, "e", "2024-01-01T00:00:00Z", "p", "1", "[]".getBytes(), "{}"),
                new EventChain.Link("T", "c", 0, "e", "2024-01-01T00:00:00Z", "p", "1", payload, "{\"a\":1}"));

        assertThat(EventChain.digest("", link)).isEqualTo(digest);
        assertThat(EventChain.digest("x", link)).isNotEqualTo(digest);
        assertThat(variants).allSatisfy(variant -> assertThat(EventChain.digest("", variant)).isNotEqualTo(digest));
    }

    /** The link's input as documented: each field a 4-byte big-endian length (-1 for null), then its UTF-8 bytes. */
    private static byte[] lengthPrefixed(Object... fields) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (Object field : fields) {
            byte[] value = field == null ? null
                    : field instanceof byte[] raw ? raw : field.toString().getBytes(StandardCharsets.UTF_8);
            bytes.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(value == null ? -1 : value.length).array());
            if (value != null) {
                bytes.writeBytes(value);
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void givenALink_whenDigested_thenEachDigestIsOverTheDocumentedLengthPrefixedFields() throws Exception {
        byte[] payload = "{\"caseId\":\"case-æ\",\"n\":1}".getBytes(StandardCharsets.UTF_8);
        String metaData = "{\"recordedBy\":\"sagsbehandler ø\"}";
        EventChain.Link link = new EventChain.Link("CaseAggregate", "case-æ", 7, "event-7", "2024-03-04T08:15:07.123Z",
                                                   "dk.Event", null, payload, metaData);
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(new byte[32], "HmacSHA256"));
        java.util.HexFormat hex = java.util.HexFormat.of();
        String payloadDigest = hex.formatHex(sha.digest(lengthPrefixed("dk.Event", null, payload)));

        assertThat(EventChain.payloadDigest("dk.Event", null, payload)).isEqualTo(payloadDigest);
        assertThat(EventChain.digest("previous", link)).isEqualTo(hex.formatHex(sha.digest(lengthPrefixed(
                "casejourney-chain-1", "previous", "CaseAggregate", "case-æ", "7", "event-7",
                "2024-03-04T08:15:07.123Z", payloadDigest, metaData))));
        // A metadata string of its own, so that a field's bytes longer than a buffer's first size are covered too.
        String long_ = "{\"note\":\"" + "x".repeat(2_000) + "\"}";
        EventChain.Link longLink = new EventChain.Link("CaseAggregate", "case-æ", 7, "event-7",
                                                       "2024-03-04T08:15:07.123Z", "dk.Event", null, payload, long_);
        String keyed = hex.formatHex(mac.doFinal(lengthPrefixed(
                "casejourney-chain-2", "", "CaseAggregate", "case-æ", "7", "event-7", "2024-03-04T08:15:07.123Z",
                payloadDigest, long_)));
        mac.init(new javax.crypto.spec.SecretKeySpec(new byte[32], "HmacSHA256"));
        assertThat(EventChain.keyedDigest(mac, null, longLink, payloadDigest)).isEqualTo(keyed);
    }

    @Test
    void givenMetadataOfText_whenMadeCanonicalFromTheMap_thenTheTextIsTheTreesToTheCharacter() throws Exception {
        java.util.Random random = new java.util.Random(20261204);
        String alphabet = "abcXYZ019 _-.:/\\\"'\u0000\u0001\u001f\u007f\t\n\r\b\fæøåÆØÅé€\u2028\u00a0{}[],";
        for (int round = 0; round < 3_000; round++) {
            java.util.Map<String, Object> metaData = new java.util.HashMap<>();
            int entries = random.nextInt(8);
            for (int i = 0; i < entries; i++) {
                metaData.put(text(random, alphabet), text(random, alphabet));
            }
            if (round % 5 == 0) {
                metaData.put(EventChain.DIGEST, "abc");
                metaData.put(EventChain.ALGORITHM, EventChain.KEYED_ALGORITHM);
            }
            String viaTree = EventChain.canonicalMetaData(JSON.readTree(JSON.writeValueAsBytes(metaData)), JSON);

            assertThat(EventChain.canonicalTexts(metaData)).as(metaData::toString).isEqualTo(viaTree);
        }
    }

    private static String text(java.util.Random random, String alphabet) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    @Test
    void givenMetadataWithAnythingButText_whenMadeCanonicalFromTheMap_thenItIsLeftToTheTree() {
        assertThat(EventChain.canonicalTexts(java.util.Map.of("count", 3))).isNull();
        assertThat(EventChain.canonicalTexts(java.util.Map.of("nested", java.util.Map.of("a", "b")))).isNull();
        assertThat(EventChain.canonicalTexts(java.util.Map.of("note", "\ud83d\ude00"))).isNull();
        assertThat(EventChain.canonicalTexts(java.util.Map.of("\ud83d", "x"))).isNull();
        java.util.Map<String, Object> withNull = new java.util.HashMap<>();
        withNull.put("note", null);
        assertThat(EventChain.canonicalTexts(withNull)).isNull();
        assertThat(EventChain.canonicalTexts(java.util.Map.of())).isEqualTo("{}");
    }
}
