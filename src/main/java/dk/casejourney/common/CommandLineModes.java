package dk.casejourney.common;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.List;
import java.util.Map;

/**
 * The command-line modes ({@code --rebuild}, {@code --verify-ledger}, {@code --import}, the simulator's
 * {@code --simulate.cases}) do their work and exit: they start no web server, so they neither need port 8080
 * free nor answer requests while they run. An explicit {@code spring.main.web-application-type} still wins, and
 * the simulator keeps its server when told not to exit ({@code --simulate.exit=false}).
 */
public class CommandLineModes implements EnvironmentPostProcessor {

    static final List<String> MODES = List.of("rebuild", "verify-ledger", "import");
    static final String WEB_TYPE = "spring.main.web-application-type";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (requested(environment) && !environment.containsProperty(WEB_TYPE)) {
            environment.getPropertySources().addFirst(new MapPropertySource("ledgerCommandLineMode",
                                                                            Map.of(WEB_TYPE, "none")));
        }
    }

    static boolean requested(ConfigurableEnvironment environment) {
        return MODES.stream().anyMatch(environment::containsProperty)
                || (environment.containsProperty("simulate.cases")
                    && !"false".equalsIgnoreCase(environment.getProperty("simulate.exit", "true")));
    }
}
