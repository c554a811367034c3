package dk.casejourney.audit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.util.Base64;

/**
 * The audit's two secrets, both from configuration (environment or a file outside the data directory), never
 * from the database: the chain key (HMAC-SHA256 over each event's link, so someone who can write the database
 * cannot recompute a chain) and the signing key (Ed25519, for checkpoints of the ledger's head; its public half
 * is published with every checkpoint). Without configuration, public demo values are used: they protect
 * nothing, and the production profiles refuse to start with them.
 */
final class LedgerKeys {

    static final String DEMO_CHAIN_KEY = Base64.getEncoder().encodeToString(
            "case-journey-ledger demo chain!!".getBytes(StandardCharsets.US_ASCII));
    static final String DEMO_SIGNING_KEY = Base64.getEncoder().encodeToString(
            "case-journey-ledger demo signer!".getBytes(StandardCharsets.US_ASCII));
    private final SecretKeySpec chainKey;
    private final KeyPair signing;
    private final boolean demo;

    LedgerKeys(String chainKey, String signingKey) {
        boolean demoChain = chainKey == null || chainKey.isBlank();
        boolean demoSigning = signingKey == null || signingKey.isBlank();
        this.demo = demoChain || demoSigning;
        this.chainKey = new SecretKeySpec(bytes32(demoChain ? DEMO_CHAIN_KEY : chainKey, "ledger.audit.chain-key"),
                                          "HmacSHA256");
        this.signing = keyPair(bytes32(demoSigning ? DEMO_SIGNING_KEY : signingKey, "ledger.audit.signing-key"));
    }

    boolean demo() {
        return demo;
    }

    Mac chainMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(chainKey);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    byte[] sign(byte[] statement) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(signing.getPrivate());
            signature.update(statement);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** The public key that verifies checkpoints, X.509-encoded, base64: publish it outside the ledger. */
    String publicKey() {
        return Base64.getEncoder().encodeToString(signing.getPublic().getEncoded());
    }

    boolean verify(byte[] statement, byte[] signatureBytes) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(signing.getPublic());
            signature.update(statement);
            return signature.verify(signatureBytes);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] bytes32(String base64, String property) {
        byte[] bytes = Base64.getDecoder().decode(base64.trim());
        if (bytes.length != 32) {
            throw new IllegalArgumentException(property + " must be base64 of 32 random bytes (`openssl rand -base64 32`)");
        }
        return bytes;
    }

    /** The Ed25519 key pair whose private key is this 32-byte seed (RFC 8032 private keys are 32 random bytes). */
    private static KeyPair keyPair(byte[] seed) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(seed, 0, bytes, 0, bytes.length);
                }
            });
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "LedgerKeys[HMAC-SHA256, Ed25519]";
    }
}
