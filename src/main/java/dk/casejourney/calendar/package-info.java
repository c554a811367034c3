/**
 * Business-time calendar: how much of a span of time falls inside a unit's opening hours.
 *
 * <p>Plain Java with no framework dependency, except {@link dk.casejourney.calendar.CalendarProperties},
 * which binds {@code ledger.calendar.*} configuration and is not registered here. The pieces:
 * <ul>
 *   <li>{@link dk.casejourney.calendar.DanishPublicHolidays}: the closed days of DOMAIN.md
 *       ("Business time"), including 5 June closing at 12:00 and General Prayer Day up to 2023;</li>
 *   <li>{@link dk.casejourney.calendar.WeeklyOpeningHours}: opening intervals per weekday, with a
 *       compact text form such as {@code "MON-FRI 08:00-16:00"} or {@code "24/7"};</li>
 *   <li>{@link dk.casejourney.calendar.BusinessCalendar}: opening hours + holiday rules + time zone;
 *       computes business time between two {@link java.time.Instant}s, across daylight-saving changes;</li>
 *   <li>{@link dk.casejourney.calendar.UnitCalendars}: the calendar of each unit and the whole-case calendar.</li>
 * </ul>
 * All types are immutable and thread-safe.
 */
package dk.casejourney.calendar;
