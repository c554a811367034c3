package dk.casejourney.common;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class CommandLineModesTest {

    private static String webType(String... args) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        new CommandLineModes().postProcessEnvironment(environment, new SpringApplication());
        return environment.getProperty(CommandLineModes.WEB_TYPE);
    }

    @Test
    void givenACommandLineMode_whenTheEnvironmentIsPrepared_thenNoWebServerIsStarted() {
        assertThat(webType("--rebuild=case-views")).isEqualTo("none");
        assertThat(webType("--verify-ledger")).isEqualTo("none");
        assertThat(webType("--import=log.xes.gz")).isEqualTo("none");
        assertThat(webType("--simulate.cases=100")).isEqualTo("none");
    }

    @Test
    void givenTheServerOrAnExplicitChoice_whenTheEnvironmentIsPrepared_thenItIsLeftAlone() {
        assertThat(webType("--server.port=0")).isNull();
        assertThat(webType("--simulate.cases=100", "--simulate.exit=false")).isNull();
        assertThat(webType("--rebuild=case-views", "--spring.main.web-application-type=servlet")).isEqualTo("servlet");
    }
}
