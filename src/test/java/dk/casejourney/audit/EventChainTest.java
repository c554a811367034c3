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
}
