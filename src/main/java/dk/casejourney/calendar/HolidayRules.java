package dk.casejourney.calendar;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Optional;

/**
 * Which dates a calendar is closed on, on top of its weekly opening hours.
 * Implementations must be thread-safe: calendars are shared between threads.
 */
public interface HolidayRules {

    /** @return true if the whole date is closed, whatever the weekly opening hours say */
    boolean isClosed(LocalDate date);

    /**
     * @return the local time at which opening hours end on this date if it is a half day
     *         (e.g. 12:00 on Constitution Day); empty for normal days and for fully closed days
     */
    Optional<LocalTime> closesEarly(LocalDate date);

    /** Rules that close nothing: for self-service, which is a website and open on holidays. */
    static HolidayRules none() {
        return NoHolidays.INSTANCE;
    }

    /** The Danish public holidays of DOMAIN.md. */
    static HolidayRules danish() {
        return DanishPublicHolidays.instance();
    }
}
