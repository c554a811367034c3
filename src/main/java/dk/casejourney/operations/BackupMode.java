package dk.casejourney.operations;

import dk.casejourney.common.Identifiers;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code --backup=DIR} runs as a command, not as a second ledger: no web server, and the application's own
 * database is a throw-away one in memory, so the command never takes the data directory's file lock away
 * from a running ledger. The ledger's database URL is kept as {@code ledger.backup.database-url} for
 * {@link BackupCommandLine}, which opens it directly only when no ledger has it open.
 */
class BackupMode implements EnvironmentPostProcessor, Ordered {

    static final String OPTION = "backup";
    static final String DATABASE_URL = "ledger.backup.database-url";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!(environment.getPropertySources().get(CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME)
                instanceof CommandLinePropertySource<?> commandLine) || !commandLine.containsProperty(OPTION)) {
            return;
        }
        Map<String, Object> mode = new HashMap<>();
        mode.put(DATABASE_URL, environment.getProperty("spring.datasource.url", ""));
        mode.put("ledger.backup.database-user", environment.getProperty("spring.datasource.username", ""));
        mode.put("ledger.backup.database-password", environment.getProperty("spring.datasource.password", ""));
        mode.put("spring.main.web-application-type", "none");
        mode.put("spring.main.banner-mode", "off");
        mode.put("spring.datasource.url", "jdbc:h2:mem:backup-command-" + Identifiers.random()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        mode.put("spring.datasource.username", "sa");
        mode.put("spring.datasource.password", "");
        mode.put("axon.axonserver.enabled", "false");
        mode.putIfAbsent("logging.level.root", "WARN");
        environment.getPropertySources().addFirst(new MapPropertySource("ledger-backup-command", mode));
    }

    /** After the configuration files are read, so that the data directory's URL is resolved. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
