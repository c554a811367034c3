package dk.casejourney.simulation;

import dk.casejourney.calendar.UnitCalendars;
import dk.casejourney.journey.api.CaseCommand;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CprNumber;
import dk.casejourney.journey.api.HandOverCaseCommand;
import dk.casejourney.journey.api.OpenCaseCommand;
import dk.casejourney.journey.api.RecordContactCommand;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MunicipalityModelTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    private static MunicipalityModel model(long seed) {
        return new MunicipalityModel(seed, LocalDate.of(2024, 1, 1), LocalDate.of(2025, 12, 31),
                                     LocalDate.of(2025, 1, 1), "101", 1000, UnitCalendars.fromSettings(
                                             null, null, null, Map.of()));
    }

    @Test
    void theSameSeedGivesTheSameCasesAndAnotherSeedOthers() {
        assertThat(model(7).generate(12, NOW)).isEqualTo(model(7).generate(12, NOW));
        assertThat(model(7).generate(12, NOW).commands()).isNotEqualTo(model(8).generate(12, NOW).commands());
    }

    @Test
    void casesOpenWithValidCprNumbersAndTimesInOrderNeverAfterNow() {
        for (long n = 0; n < 500; n++) {
            List<CaseCommand> commands = model(1).generate(n, NOW).commands();
            OpenCaseCommand open = (OpenCaseCommand) commands.get(0);
            assertThat(CprNumber.isValid(open.cpr())).isTrue();
            for (CaseCommand command : commands) {
                assertThat(command.occurredAt()).isAfterOrEqualTo(open.occurredAt());
                assertThat(command.businessTimes().values()).allSatisfy(time -> assertThat(time).isBeforeOrEqualTo(NOW));
            }
        }
    }

    @Test
    void afterTheChangeDateTheDigitalShareRisesAndHandoversFall() {
        int[] cases = new int[2];
        int[] digital = new int[2];
        int[] handovers = new int[2];
        int[] oneContactNoHandover = new int[2];
        for (long n = 0; n < 4000; n++) {
            MunicipalityModel.SimulatedCase simulated = model(42).generate(n, NOW);
            int side = simulated.afterChange() ? 1 : 0;
            cases[side]++;
            digital[side] += simulated.firstChannel() == Channel.SELF_SERVICE
                    || simulated.firstChannel() == Channel.ASSISTED_SELF_SERVICE ? 1 : 0;
            List<CaseCommand> commands = new ArrayList<>(simulated.commands());
            long handed = commands.stream().filter(HandOverCaseCommand.class::isInstance).count();
            long contacts = commands.stream().filter(RecordContactCommand.class::isInstance).count();
            handovers[side] += (int) handed;
            oneContactNoHandover[side] += handed == 0 && contacts == 1 ? 1 : 0;
        }
        assertThat(cases[0]).isBetween(1800, 2200);
        assertThat((double) digital[1] / cases[1]).isGreaterThan((double) digital[0] / cases[0] + 0.1);
        assertThat((double) handovers[1] / cases[1]).isLessThan((double) handovers[0] / cases[0] * 0.85);
        // The channel strategy's premise: about 80% of contacts are uncomplicated and resolved at once.
        assertThat((double) oneContactNoHandover[0] / cases[0]).isBetween(0.65, 0.85);
        assertThat((double) oneContactNoHandover[1] / cases[1]).isBetween(0.7, 0.9);
    }
}
