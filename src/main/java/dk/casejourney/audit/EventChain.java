package dk.casejourney.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The hash chain over each case's events. An event's digest is SHA-256 over the previous event's digest, the
 * event's identity (aggregate, sequence number, event id, recorded time), the digest of its payload as stored
 * (type, revision, bytes) and its metadata in canonical form (keys sorted, the chain's own entries left out).
 * Every field is length-prefixed, so no two different events hash the same input.
 */
final class EventChain {

    /** The digest of this event, kept in its metadata. */
    static final String DIGEST = "chainDigest";
    /** The digest of the event before it (empty for the first), so a broken link can be told from an edit. */
    static final String PREVIOUS = "chainPrevious";
    /** The digest of the stored payload alone, so an altered payload can be told from altered metadata. */
    static final String PAYLOAD_DIGEST = "chainPayloadDigest";
    /**
     * Present (value {@value #KEYED_ALGORITHM}) when the digest is keyed: an HMAC with the chain key, which is
     * never in the database. Events without it were chained before the key existed (plain SHA-256).
     */
    static final String ALGORITHM = "chainAlgorithm";
    static final String KEYED_ALGORITHM = "HMAC-SHA256";
    static final Set<String> CHAIN_KEYS = Set.of(DIGEST, PREVIOUS, PAYLOAD_DIGEST, ALGORITHM);
    private static final String VERSION = "casejourney-chain-1";
    private static final String KEYED_VERSION = "casejourney-chain-2";

    private EventChain() {
    }

    /** One event as stored, everything the digest covers. */
    record Link(String aggregateType, String aggregateId, long sequenceNumber, String eventId, String timestamp,
                String payloadType, String payloadRevision, byte[] payload, String canonicalMetaData) {
    }

    static String payloadDigest(String payloadType, String payloadRevision, byte[] payload) {
        MessageDigest sha = sha256();
        field(sha, payloadType);
        field(sha, payloadRevision);
        field(sha, payload);
        return HexFormat.of().formatHex(sha.digest());
    }

    static String digest(String previousDigest, Link link) {
        return digest(previousDigest, link, payloadDigest(link.payloadType(), link.payloadRevision(), link.payload()));
    }

    /** The plain SHA-256 link of events chained before the chain key existed. */
    static String digest(String previousDigest, Link link, String payloadDigest) {
        MessageDigest sha = sha256();
        fields(sha::update, VERSION, previousDigest, link, payloadDigest);
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The keyed link: HMAC-SHA256 with the chain key over the same fields. */
    static String keyedDigest(javax.crypto.Mac mac, String previousDigest, Link link, String payloadDigest) {
        fields(mac::update, KEYED_VERSION, previousDigest, link, payloadDigest);
        return HexFormat.of().formatHex(mac.doFinal());
    }

    private static void fields(java.util.function.Consumer<byte[]> sink, String version, String previousDigest,
                               Link link, String payloadDigest) {
        MessageDigestSink sha = new MessageDigestSink(sink);
        field(sha, version);
        field(sha, previousDigest == null ? "" : previousDigest);
        field(sha, link.aggregateType());
        field(sha, link.aggregateId());
        field(sha, Long.toString(link.sequenceNumber()));
        field(sha, link.eventId());
        field(sha, link.timestamp());
        field(sha, payloadDigest);
        field(sha, link.canonicalMetaData());
    }

    /** Feeds length-prefixed fields to a MessageDigest or a Mac alike. */
    private record MessageDigestSink(java.util.function.Consumer<byte[]> sink) {
    }

    /** The metadata as JSON with every object's keys sorted and the chain's own entries removed. */
    static String canonicalMetaData(JsonNode metaData, ObjectMapper mapper) {
        ObjectNode withoutChain = metaData == null || !metaData.isObject()
                ? mapper.createObjectNode() : ((ObjectNode) metaData).deepCopy();
        withoutChain.remove(CHAIN_KEYS);
        return sorted(withoutChain, mapper).toString();
    }

    private static JsonNode sorted(JsonNode node, ObjectMapper mapper) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            ObjectNode result = mapper.createObjectNode();
            names.forEach(name -> result.set(name, sorted(node.get(name), mapper)));
            return result;
        }
        if (node.isArray()) {
            ArrayNode result = mapper.createArrayNode();
            node.forEach(element -> result.add(sorted(element, mapper)));
            return result;
        }
        return node;
    }

    private static void field(MessageDigest sha, String value) {
        field(new MessageDigestSink(sha::update), value);
    }

    private static void field(MessageDigest sha, byte[] value) {
        field(new MessageDigestSink(sha::update), value);
    }

    private static void field(MessageDigestSink sha, String value) {
        field(sha, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static void field(MessageDigestSink sha, byte[] value) {
        // -1 marks null, so null and the empty string hash differently.
        sha.sink().accept(ByteBuffer.allocate(4).putInt(value == null ? -1 : value.length).array());
        if (value != null) {
            sha.sink().accept(value);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
