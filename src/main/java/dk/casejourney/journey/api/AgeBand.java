package dk.casejourney.journey.api;

import java.time.LocalDate;
import java.time.Period;

/**
 * Age bands used instead of birth dates wherever a citizen is described for analysis. {@link #UNKNOWN} is for
 * imported cases whose log names no citizen.
 */
public enum AgeBand {
    UNDER_18(0, 17),
    AGE_18_29(18, 29),
    AGE_30_49(30, 49),
    AGE_50_66(50, 66),
    AGE_67_PLUS(67, Integer.MAX_VALUE),
    UNKNOWN(-1, -1);

    private final int from;
    private final int to;

    AgeBand(int from, int to) {
        this.from = from;
        this.to = to;
    }

    public static AgeBand of(LocalDate birthDate, LocalDate on) {
        int years = Math.max(0, Period.between(birthDate, on).getYears());
        for (AgeBand band : values()) {
            if (years >= band.from && years <= band.to) {
                return band;
            }
        }
        throw new IllegalStateException("no age band for " + years);
    }
}
