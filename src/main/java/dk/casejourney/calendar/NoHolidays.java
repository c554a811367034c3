package dk.casejourney.calendar;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Optional;

/** Holiday rules that never close; an enum so that it is a serialization-safe singleton. */
enum NoHolidays implements HolidayRules {
    INSTANCE;

    @Override
    public boolean isClosed(LocalDate date) {
        return false;
    }

    @Override
    public Optional<LocalTime> closesEarly(LocalDate date) {
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "no holidays";
    }
}
