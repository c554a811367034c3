package dk.casejourney.common;

import com.zaxxer.hikari.HikariDataSource;
import dk.casejourney.privacy.Pseudonymizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/**
 * The ledger's clock and the pseudonym key, the only sources of time and of secrets; and durable commits on the
 * embedded database.
 */
@Configuration(proxyBeanMethods = false)
class LedgerConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Pseudonymizer pseudonymizer(@Value("${ledger.privacy.pseudonym-secret}") String secret) {
        return new Pseudonymizer(secret);
    }

    /**
     * The pool of an embedded H2 database file gets its connections from {@link H2GroupCommit}: no commit returns
     * before it is in the file. Set before the pool's first connection (Hikari starts a pool at its first use).
     */
    @Bean
    static BeanPostProcessor h2GroupCommit() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof HikariDataSource pool && pool.getDataSource() == null && pool.getJdbcUrl() != null
                        && pool.getJdbcUrl().startsWith("jdbc:h2:file:")) {
                    pool.setDataSource(H2GroupCommit.dataSource(pool.getJdbcUrl(), pool.getUsername(),
                                                                pool.getPassword()));
                }
                return bean;
            }
        };
    }
}
