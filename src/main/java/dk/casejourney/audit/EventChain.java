package dk.casejourney.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
    /** Jackson's defaults, as a tree's {@code toString()} writes (its internal mapper is a plain JsonMapper). */
    private static final JsonFactory TEXT = new JsonFactory();

    private EventChain() {
    }

    /** One event as stored, everything the digest covers. */
    record Link(String aggregateType, String aggregateId, long sequenceNumber, String eventId, String timestamp,
                String payloadType, String payloadRevision, byte[] payload, String canonicalMetaData) {
    }

    static String payloadDigest(String payloadType, String payloadRevision, byte[] payload) {
        MessageDigest sha = sha256();
        new Fields().add(payloadType).add(payloadRevision).add(payload).into(sha::update);
        return HexFormat.of().formatHex(sha.digest());
    }

    static String digest(String previousDigest, Link link) {
        return digest(previousDigest, link, payloadDigest(link.payloadType(), link.payloadRevision(), link.payload()));
    }

    /** The plain SHA-256 link of events chained before the chain key existed. */
    static String digest(String previousDigest, Link link, String payloadDigest) {
        MessageDigest sha = sha256();
        fields(VERSION, previousDigest, link, payloadDigest).into(sha::update);
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The keyed link: HMAC-SHA256 with the chain key over the same fields. */
    static String keyedDigest(javax.crypto.Mac mac, String previousDigest, Link link, String payloadDigest) {
        fields(KEYED_VERSION, previousDigest, link, payloadDigest).into(mac::update);
        return HexFormat.of().formatHex(mac.doFinal());
    }

    private static Fields fields(String version, String previousDigest, Link link, String payloadDigest) {
        return new Fields().add(version)
                           .add(previousDigest == null ? "" : previousDigest)
                           .add(link.aggregateType())
                           .add(link.aggregateId())
                           .add(Long.toString(link.sequenceNumber()))
                           .add(link.eventId())
                           .add(link.timestamp())
                           .add(payloadDigest)
                           .add(link.canonicalMetaData());
    }

    /**
     * Length-prefixed fields, gathered and then handed to a MessageDigest or a Mac in one update: the same bytes as
     * a length and a value per update, without a digest engine's overhead for each of about twenty small arrays.
     */
    private static final class Fields {

        private byte[] bytes = new byte[512];
        private int length;

        Fields add(String value) {
            return add(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        }

        Fields add(byte[] value) {
            // -1 marks null, so null and the empty string hash differently.
            int size = value == null ? -1 : value.length;
            int needed = length + 4 + Math.max(0, size);
            if (needed > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
            }
            bytes[length] = (byte) (size >>> 24);
            bytes[length + 1] = (byte) (size >>> 16);
            bytes[length + 2] = (byte) (size >>> 8);
            bytes[length + 3] = (byte) size;
            length += 4;
            if (value != null) {
                System.arraycopy(value, 0, bytes, length, value.length);
                length += value.length;
            }
            return this;
        }

        void into(Update sink) {
            sink.update(bytes, 0, length);
        }
    }

    /** {@link MessageDigest#update(byte[], int, int)} or {@link javax.crypto.Mac#update(byte[], int, int)}. */
    @FunctionalInterface
    private interface Update {
        void update(byte[] bytes, int offset, int length);
    }

    /**
     * {@link #canonicalMetaData(JsonNode, ObjectMapper)} of metadata whose values are all text, written straight from
     * the map: the keys sorted, the chain's own entries left out, each value escaped as Jackson writes a tree's text.
     * Null for metadata with any other value, or a surrogate character anywhere (a lone one would not survive the
     * serializer's round trip as written): the caller then takes the tree's way. The same text either way, which
     * every event's digest depends on (EventChainTest compares both).
     */
    static String canonicalTexts(Map<String, ?> metaData) {
        List<String> keys = new ArrayList<>(metaData.size());
        for (Map.Entry<String, ?> entry : metaData.entrySet()) {
            if (!(entry.getValue() instanceof String value) || hasSurrogate(value) || hasSurrogate(entry.getKey())) {
                return null;
            }
            if (!CHAIN_KEYS.contains(entry.getKey())) {
                keys.add(entry.getKey());
            }
        }
        keys.sort(null);
        StringWriter text = new StringWriter(32 * (keys.size() + 1));
        try (JsonGenerator json = TEXT.createGenerator(text)) {
            json.writeStartObject();
            for (String key : keys) {
                json.writeStringField(key, (String) metaData.get(key));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metadata to a string", e);
        }
        return text.toString();
    }

    private static boolean hasSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return true;
            }
        }
        return false;
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
