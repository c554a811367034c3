package dk.casejourney.privacy;

import dk.casejourney.privacy.api.CitizenKeyFiles;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PrivacyProperties.class)
class PrivacyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PrivacyConfiguration.class);

    /**
     * Injected into command handlers as an Axon resource, like the {@link Pseudonymizer}. The key store is
     * chosen, keys of earlier versions are taken over and everything is rewrapped to the current
     * key-encryption key before the first command can seal anything.
     */
    /**
     * Where the database key store writes keys: with the events when they are in the same database, on a pool of
     * two connections of its own, committed first, when Axon Server holds the events (see {@link KeyWrites}).
     */
    @Bean
    KeyWrites keyWrites(JdbcClient jdbc, DataSourceProperties dataSource,
                        @Value("${axon.axonserver.enabled:false}") boolean axonServer) {
        if (!axonServer) {
            return new KeyWrites.WithTheEvents(jdbc);
        }
        HikariDataSource pool = dataSource.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        pool.setPoolName("ledger-citizen-keys");
        pool.setMaximumPoolSize(2);
        pool.setMinimumIdle(0);
        return new KeyWrites.BeforeTheEvents(pool);
    }

    @Bean
    PersonalDataVault personalDataVault(JdbcClient jdbc, Clock clock, PrivacyProperties properties,
                                        @Value("${spring.datasource.url:}") String databaseUrl,
                                        @Value("${ledger.data-dir:./data}") String dataDir,
                                        TransactionTemplate transactions, KeyWrites keyWrites,
                                        @Value("${axon.axonserver.enabled:false}") boolean axonServer) {
        KeyEncryptionKeys keks = new KeyEncryptionKeys(properties.keyEncryptionKeys(),
                                                       properties.currentKeyEncryptionKey());
        if (keks.usesDemoKey()) {
            log.warn("Citizens' data keys are wrapped by the public demo key-encryption key: set "
                             + "ledger.privacy.key-encryption-keys before real use (see docs/security.md)");
        }
        boolean files = switch (properties.keyStore()) {
            case "files" -> true;
            case "database" -> false;
            case "auto" -> databaseUrl.startsWith("jdbc:h2:file:");
            default -> throw new IllegalArgumentException("ledger.privacy.key-store must be files, database or auto, "
                                                                  + "not " + properties.keyStore());
        };
        KeyStore store = files
                // Beside Axon Server a command's events are stored before its database transaction commits.
                ? new FileCitizenKeys(CitizenKeyFiles.directory(dataDir, properties.keyDirectory()),
                                      keks, clock, !axonServer)
                : new JdbcCitizenKeys(jdbc, keyWrites, keks, clock, databaseUrl.startsWith("jdbc:postgresql:"));
        transactions.executeWithoutResult(status -> {
            adoptEarlierKeys(jdbc, store);
            int rewrapped = store.rewrap();
            if (rewrapped > 0) {
                log.info("Rewrapped {} citizens' keys under key-encryption key {}", rewrapped, keks.currentId());
            }
        });
        return new PersonalDataVault(store);
    }

    /**
     * Keys of versions before the directory were kept unwrapped in table citizen_key, under a pseudonym that
     * was the keyed hash of the CPR number itself: that hash is their lookup. They move to the key store, and
     * the rows are deleted.
     */
    private static void adoptEarlierKeys(JdbcClient jdbc, KeyStore store) {
        List<Object[]> earlier = jdbc.sql("SELECT key_id, pseudonym, key_bytes FROM citizen_key WHERE key_bytes IS NOT NULL")
                                     .query((rs, n) -> new Object[]{rs.getString(1), rs.getString(2), rs.getBytes(3)})
                                     .list();
        earlier.forEach(row -> store.adopt((String) row[1], (String) row[1], (String) row[0], (byte[]) row[2]));
        int deleted = jdbc.sql("DELETE FROM citizen_key").update();
        if (deleted > 0) {
            log.info("Moved {} citizens' keys of an earlier version into the key store", earlier.size());
        }
    }
}
