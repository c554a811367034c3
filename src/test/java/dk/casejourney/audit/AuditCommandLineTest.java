package dk.casejourney.audit;

import dk.casejourney.audit.api.Rebuild;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AuditCommandLineTest {

    private static Rebuild rebuild(Rebuild.Phase phase, long done, long total, double rate, Long secondsLeft) {
        return new Rebuild("r1", "case-views", phase, Instant.parse("2026-12-02T10:00:00Z"), null, done, total, rate,
                           secondsLeft, null, null, "instance-1");
    }

    @Test
    void givenARebuildStillCopying_whenItsProgressIsPrinted_thenItNamesTheStepWithoutCountsItDoesNotHaveYet() {
        String line = AuditCommandLine.progress(rebuild(Rebuild.Phase.COPYING, 0, 0, 0, null));

        assertThat(line).isEqualTo("  COPYING: stopping the processors, copying the tables, resetting")
                        .doesNotContain("null").doesNotContain("0 of 0");
    }

    @Test
    void givenAReplayWithARate_whenItsProgressIsPrinted_thenItShowsEventsRateAndTimeLeft() {
        assertThat(AuditCommandLine.progress(rebuild(Rebuild.Phase.REPLAYING, 300, 900, 150, 4L)))
                .isEqualTo("  REPLAYING 300 of 900 events, 150 events/s, 4 s left");
    }

    @Test
    void givenAReplayWithoutATimeLeftYet_whenItsProgressIsPrinted_thenTheTimeLeftIsLeftOutRatherThanNull() {
        assertThat(AuditCommandLine.progress(rebuild(Rebuild.Phase.REPLAYING, 0, 900, 0, null)))
                .isEqualTo("  REPLAYING 0 of 900 events, 0 events/s");
    }

    @Test
    void givenAVerification_whenItsProgressIsPrinted_thenItShowsTheEventsWithoutTimeLeft() {
        assertThat(AuditCommandLine.progress(rebuild(Rebuild.Phase.VERIFYING, 900, 900, 150, 0L)))
                .isEqualTo("  VERIFYING 900 of 900 events, 150 events/s");
    }
}
