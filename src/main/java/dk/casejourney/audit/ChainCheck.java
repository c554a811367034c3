package dk.casejourney.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.audit.api.ChainVerification;
import dk.casejourney.audit.api.ChainVerification.BrokenLink;
import dk.casejourney.audit.api.ChainVerification.Reason;
import dk.casejourney.common.IsoInstants;

import javax.crypto.Mac;
import java.io.IOException;

/**
 * Walks one case's stored events in sequence order and recomputes the chain; stops at the first broken link.
 * Why a link broke is told apart by the partial digests the event carries: a payload that no longer matches
 * its payload digest was altered; otherwise a mismatching digest means metadata, ids or time were.
 */
final class ChainCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String caseId;
    private final Mac mac;
    private boolean keyedSeen;
    private long expectedSequence;
    private String previousDigest = "";
    private long checked;
    private BrokenLink broken;

    /** Checks plain (unkeyed) links only: for chains recorded before the chain key existed. */
    ChainCheck(String caseId) {
        this(caseId, null);
    }

    /** @param mac the chain key's HMAC: keyed links are recomputed with it */
    ChainCheck(String caseId, Mac mac) {
        this.caseId = caseId;
        this.mac = mac;
    }

    /** @return false once the chain is broken: later events need not be read */
    boolean accept(StoredEvent event) {
        if (broken != null) {
            return false;
        }
        broken = check(event);
        if (broken == null) {
            checked++;
            expectedSequence++;
        }
        return broken == null;
    }

    private BrokenLink check(StoredEvent event) {
        if (event.sequenceNumber() != expectedSequence) {
            return link(event, Reason.SEQUENCE_GAP, "expected sequence number " + expectedSequence);
        }
        JsonNode metaData;
        try {
            metaData = event.metaData() == null ? JSON.createObjectNode() : JSON.readTree(event.metaData());
        } catch (IOException e) {
            return link(event, Reason.METADATA_ALTERED, "the metadata is not readable JSON");
        }
        String storedDigest = text(metaData, EventChain.DIGEST);
        if (storedDigest == null) {
            return link(event, Reason.DIGEST_MISSING, "the event carries no chain digest");
        }
        if (!previousDigest.equals(text(metaData, EventChain.PREVIOUS))) {
            return link(event, Reason.CHAIN_BROKEN, "it does not point at the digest of the event before it");
        }
        String payloadDigest = EventChain.payloadDigest(event.payloadType(), event.payloadRevision(), event.payload());
        if (!payloadDigest.equals(text(metaData, EventChain.PAYLOAD_DIGEST))) {
            return link(event, Reason.PAYLOAD_ALTERED, "the stored payload differs from the one digested");
        }
        EventChain.Link link = new EventChain.Link(
                event.type(), event.aggregateId(), event.sequenceNumber(), event.eventId(),
                IsoInstants.formatMillis(IsoInstants.parseOffsetDateTime(event.timestamp())), event.payloadType(),
                event.payloadRevision(), event.payload(), EventChain.canonicalMetaData(metaData, JSON));
        boolean keyed = EventChain.KEYED_ALGORITHM.equals(text(metaData, EventChain.ALGORITHM));
        if (!keyed && keyedSeen) {
            // Rechaining from here with plain SHA-256 is what someone without the chain key would do.
            return link(event, Reason.CHAIN_BROKEN, "an unkeyed link after keyed ones");
        }
        if (keyed && mac == null) {
            return link(event, Reason.METADATA_ALTERED, "a keyed link, and no chain key to check it with");
        }
        String expected = keyed ? EventChain.keyedDigest(mac, previousDigest, link, payloadDigest)
                : EventChain.digest(previousDigest, link, payloadDigest);
        keyedSeen |= keyed;
        if (!storedDigest.equals(expected)) {
            return link(event, Reason.METADATA_ALTERED,
                        "the metadata, identity or recorded time differ from those digested");
        }
        previousDigest = storedDigest;
        return null;
    }

    private static String text(JsonNode metaData, String key) {
        JsonNode value = metaData.get(key);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    private static BrokenLink link(StoredEvent event, Reason reason, String detail) {
        return new BrokenLink(event.sequenceNumber(), event.eventId(), reason, detail);
    }

    /** The digest of the last event accepted, or empty before the first. */
    String head() {
        return previousDigest;
    }

    String caseId() {
        return caseId;
    }

    boolean valid() {
        return broken == null;
    }

    ChainVerification result() {
        return new ChainVerification(caseId, broken == null, checked, checked == 0 ? null : previousDigest, broken);
    }
}
