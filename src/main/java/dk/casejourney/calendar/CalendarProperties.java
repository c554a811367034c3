package dk.casejourney.calendar;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Binds {@code ledger.calendar.*}; every property is optional. Not registered here: the application
 * enables it and builds {@link UnitCalendars} with {@link #toUnitCalendars()}.
 * <pre>
 * ledger.calendar.zone=Europe/Copenhagen
 * ledger.calendar.whole-case=MON-FRI 08:00-16:00
 * ledger.calendar.kinds.CITIZEN_SERVICE_CENTER=MON-FRI 10:00-17:00
 * ledger.calendar.units.KBH-KC.kind=CONTACT_CENTER
 * ledger.calendar.units.KBH-KC.hours=MON-FRI 08:00-18:00
 * ledger.calendar.units.KBH-WEB.kind=SELF_SERVICE
 * ledger.calendar.units.KBH-BS-NORD.hours=MON-THU 10:00-18:00; FRI 10:00-15:00
 * ledger.calendar.units.KBH-BS-NORD.closed-on-holidays=true
 * </pre>
 * Hours use the text form of {@link WeeklyOpeningHours#parse(String)}.
 *
 * @param zone      time zone id; default Europe/Copenhagen
 * @param wholeCase whole-case calendar hours; default MON-FRI 08:00-16:00
 * @param kinds     hours per unit kind, replacing that kind's default
 * @param units     per-unit settings by unit id
 */
@ConfigurationProperties(prefix = "ledger.calendar")
public record CalendarProperties(String zone, String wholeCase, Map<UnitKind, String> kinds, Map<String, Unit> units) {

    /**
     * @param kind             the unit's kind (gives default hours and holiday handling)
     * @param hours            opening hours; default the kind's
     * @param closedOnHolidays whether Danish public holidays close the unit; default true except for SELF_SERVICE
     */
    public record Unit(UnitKind kind, String hours, Boolean closedOnHolidays) {
    }

    /**
     * @throws IllegalArgumentException naming the offending property if a value is invalid
     */
    public UnitCalendars toUnitCalendars() {
        ZoneId zoneId = null;
        if (zone != null && !zone.isBlank()) {
            try {
                zoneId = ZoneId.of(zone.strip());
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("ledger.calendar.zone: unknown time zone \"" + zone + "\"", e);
            }
        }
        Map<UnitKind, WeeklyOpeningHours> kindHours = new EnumMap<>(UnitKind.class);
        if (kinds != null) {
            kinds.forEach((kind, text) -> kindHours.put(kind, parse("ledger.calendar.kinds." + kind, text)));
        }
        Map<String, UnitCalendars.UnitSettings> unitSettings = new HashMap<>();
        if (units != null) {
            units.forEach((id, unit) -> {
                String prefix = "ledger.calendar.units." + id;
                if (unit == null || (unit.kind() == null && unit.hours() == null)) {
                    throw new IllegalArgumentException(prefix + ": give a kind or hours");
                }
                WeeklyOpeningHours hours = unit.hours() == null ? null : parse(prefix + ".hours", unit.hours());
                unitSettings.put(id, new UnitCalendars.UnitSettings(unit.kind(), hours, unit.closedOnHolidays()));
            });
        }
        WeeklyOpeningHours wholeCaseHours = wholeCase == null ? null : parse("ledger.calendar.whole-case", wholeCase);
        return UnitCalendars.fromSettings(zoneId, wholeCaseHours, kindHours, unitSettings);
    }

    private static WeeklyOpeningHours parse(String property, String text) {
        try {
            return WeeklyOpeningHours.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + ": " + e.getMessage(), e);
        }
    }
}
