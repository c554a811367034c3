package dk.casejourney.privacy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.Map;

/**
 * @param keyEncryptionKeys        key-encryption keys by id, base64 of 32 random bytes; from the environment
 *                                 ({@code LEDGER_PRIVACY_KEYENCRYPTIONKEYS_<ID>}) or a file outside the data
 *                                 directory ({@code spring.config.import=optional:file:/etc/ledger/keys.yml}),
 *                                 never the database; empty means the public demo key
 * @param currentKeyEncryptionKey  the id new wraps use; blank means the greatest id
 * @param keyStore                 {@code files} (one file per citizen under {@code keyDirectory}),
 *                                 {@code database}, or {@code auto}: files beside an H2 file database,
 *                                 otherwise the database
 * @param keyDirectory             where the files are
 */
@ConfigurationProperties("ledger.privacy")
record PrivacyProperties(Map<String, String> keyEncryptionKeys,
                         String currentKeyEncryptionKey,
                         @DefaultValue("auto") String keyStore,
                         String keyDirectory) {

    PrivacyProperties {
        keyEncryptionKeys = keyEncryptionKeys == null ? Map.of() : Map.copyOf(keyEncryptionKeys);
    }
}
