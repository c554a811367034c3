package dk.casejourney.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.privacy.Pseudonymizer;
import org.axonframework.messaging.MetaData;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a write request brings besides its body: who records it and its Idempotency-Key. With a key, the
 * ids of what the request records are derived from it, so a retry names the same case and entry, and the
 * request's fingerprint lets the case refuse the key when it comes back with another body.
 */
@Component
public class Recording {

    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,200}");
    private final ObjectMapper objectMapper;
    private final Pseudonymizer pseudonymizer;

    Recording(ObjectMapper objectMapper, Pseudonymizer pseudonymizer) {
        this.objectMapper = objectMapper;
        this.pseudonymizer = pseudonymizer;
    }

    /** A write's metadata and ids, made once per request. */
    public Request request(String scope, String idempotencyKey, Object body, Principal principal) {
        if (idempotencyKey != null && !KEY.matcher(idempotencyKey).matches()) {
            throw RuleViolation.invalid(IDEMPOTENCY_KEY_HEADER, "must be 1-200 visible ASCII characters");
        }
        if (TextRules.containsCprShaped(idempotencyKey)) {
            throw RuleViolation.invalid(IDEMPOTENCY_KEY_HEADER, "must not contain a CPR number");
        }
        // Only a keyed hash of the key is kept: clients choose keys freely, and a key may name a person.
        String hashedKey = idempotencyKey == null ? null
                : "k-" + pseudonymizer.fingerprint(("idempotency-key\n" + idempotencyKey).getBytes(StandardCharsets.UTF_8));
        Map<String, Object> metaData = new HashMap<>();
        metaData.put(LedgerMetadata.RECORDED_BY, principal == null ? "anonymous" : principal.getName());
        if (hashedKey != null) {
            metaData.put(LedgerMetadata.IDEMPOTENCY_KEY, hashedKey);
            metaData.put(LedgerMetadata.REQUEST_FINGERPRINT, fingerprint(scope, body));
        }
        return new Request(scope, hashedKey, MetaData.from(metaData));
    }

    /** Keyed, because the body may hold a CPR number and the fingerprint stays in the ledger after erasure. */
    private String fingerprint(String scope, Object body) {
        try {
            byte[] scopeBytes = (scope + "\n").getBytes(StandardCharsets.UTF_8);
            byte[] bodyBytes = objectMapper.writeValueAsBytes(body);
            byte[] data = new byte[scopeBytes.length + bodyBytes.length];
            System.arraycopy(scopeBytes, 0, data, 0, scopeBytes.length);
            System.arraycopy(bodyBytes, 0, data, scopeBytes.length, bodyBytes.length);
            return pseudonymizer.fingerprint(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot fingerprint the request", e);
        }
    }

    /**
     * @param scope          what the request writes to, e.g. {@code cases/{id}/contacts}
     * @param idempotencyKey the keyed hash of the client's key (never the key itself), null without a key
     */
    public record Request(String scope, String idempotencyKey, MetaData metaData) {

        /** A new id for what this request records; the same id again when the request is retried. */
        public String newId(String purpose) {
            if (idempotencyKey == null) {
                return Identifiers.random();
            }
            return Identifiers.named(purpose + "\n" + scope + "\n" + idempotencyKey);
        }
    }
}
