package dk.casejourney.operations;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The operations settings as Spring binds them when nothing is configured. */
class OperationsPropertiesTest {

    @Test
    void givenNothingConfigured_whenBound_thenBackupsAreWrittenToTheSystemTempDirectory() {
        OperationsProperties properties = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("ledger.operations", OperationsProperties.class);
        assertThat(properties.backupWorkDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
        assertThat(properties.maxDeadLetters()).isEqualTo(100);
    }
}
