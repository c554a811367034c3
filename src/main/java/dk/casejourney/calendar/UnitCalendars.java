package dk.casejourney.calendar;

import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The business calendar of every unit, and of the whole case. A unit's calendar is its own override
 * if configured, otherwise the default of its {@link UnitKind}. Immutable.
 */
public final class UnitCalendars {

    /**
     * Settings of one unit; any field may be null.
     *
     * @param kind             the unit's kind, giving defaults for the other two
     * @param hours            opening hours; null for the kind's hours (required when kind is null)
     * @param closedOnHolidays null for the kind's default (closed, except self-service; closed if no kind)
     */
    public record UnitSettings(UnitKind kind, WeeklyOpeningHours hours, Boolean closedOnHolidays) {
    }

    private final BusinessCalendar wholeCase;
    private final Map<UnitKind, BusinessCalendar> byKind;
    private final Map<String, BusinessCalendar> byUnit;

    /**
     * @param wholeCase     the whole-case calendar
     * @param kindCalendars calendars per kind; kinds left out get their defaults, in the whole-case calendar's zone
     * @param unitCalendars calendars of individual units, by unit id
     */
    public UnitCalendars(BusinessCalendar wholeCase, Map<UnitKind, BusinessCalendar> kindCalendars,
                         Map<String, BusinessCalendar> unitCalendars) {
        this.wholeCase = Objects.requireNonNull(wholeCase, "wholeCase");
        Map<UnitKind, BusinessCalendar> kinds = new EnumMap<>(UnitKind.class);
        for (UnitKind kind : UnitKind.values()) {
            BusinessCalendar given = kindCalendars == null ? null : kindCalendars.get(kind);
            kinds.put(kind, given != null ? given : defaultCalendar(kind, wholeCase.zone()));
        }
        this.byKind = Map.copyOf(kinds);
        this.byUnit = unitCalendars == null ? Map.of() : Map.copyOf(unitCalendars);
    }

    /** Built-in defaults only, Europe/Copenhagen. */
    public static UnitCalendars defaults() {
        return new UnitCalendars(BusinessCalendar.wholeCase(), Map.of(), Map.of());
    }

    /**
     * Builds from plain settings, as a configuration binding has them. Danish public holidays apply
     * wherever holidays are closed.
     *
     * @param zone      time zone of all calendars; null for Europe/Copenhagen
     * @param wholeCase whole-case hours; null for Mon–Fri 08:00–16:00
     * @param kindHours hours per kind, overriding the kind's defaults; may be null or partial
     * @param units     settings per unit id; may be null
     */
    public static UnitCalendars fromSettings(ZoneId zone, WeeklyOpeningHours wholeCase,
                                             Map<UnitKind, WeeklyOpeningHours> kindHours,
                                             Map<String, UnitSettings> units) {
        ZoneId effectiveZone = zone == null ? BusinessCalendar.COPENHAGEN : zone;
        Map<UnitKind, WeeklyOpeningHours> hoursOfKind = new EnumMap<>(UnitKind.class);
        for (UnitKind kind : UnitKind.values()) {
            WeeklyOpeningHours given = kindHours == null ? null : kindHours.get(kind);
            hoursOfKind.put(kind, given != null ? given : kind.defaultHours());
        }
        Map<UnitKind, BusinessCalendar> kindCalendars = new EnumMap<>(UnitKind.class);
        hoursOfKind.forEach((kind, hours) ->
                kindCalendars.put(kind, calendar(hours, kind.closedOnHolidaysByDefault(), effectiveZone)));
        Map<String, BusinessCalendar> unitCalendars = new HashMap<>();
        if (units != null) {
            units.forEach((unitId, settings) -> {
                Objects.requireNonNull(settings, () -> "settings of unit " + unitId);
                if (settings.kind() == null && settings.hours() == null) {
                    throw new IllegalArgumentException("unit " + unitId + " needs a kind or opening hours");
                }
                WeeklyOpeningHours hours = settings.hours() != null ? settings.hours() : hoursOfKind.get(settings.kind());
                boolean closedOnHolidays = settings.closedOnHolidays() != null
                        ? settings.closedOnHolidays()
                        : settings.kind() == null || settings.kind().closedOnHolidaysByDefault();
                unitCalendars.put(unitId, calendar(hours, closedOnHolidays, effectiveZone));
            });
        }
        WeeklyOpeningHours wholeCaseHours = wholeCase != null ? wholeCase : WeeklyOpeningHours.WHOLE_CASE;
        return new UnitCalendars(calendar(wholeCaseHours, true, effectiveZone), kindCalendars, unitCalendars);
    }

    private static BusinessCalendar defaultCalendar(UnitKind kind, ZoneId zone) {
        return calendar(kind.defaultHours(), kind.closedOnHolidaysByDefault(), zone);
    }

    private static BusinessCalendar calendar(WeeklyOpeningHours hours, boolean closedOnHolidays, ZoneId zone) {
        return new BusinessCalendar(hours, closedOnHolidays ? HolidayRules.danish() : HolidayRules.none(), zone);
    }

    /** The calendar for a case's lead time in business time. */
    public BusinessCalendar wholeCase() {
        return wholeCase;
    }

    public BusinessCalendar forKind(UnitKind kind) {
        return byKind.get(Objects.requireNonNull(kind, "kind"));
    }

    /** @return the unit's configured calendar, or its kind's default if the unit has none */
    public BusinessCalendar forUnit(String unitId, UnitKind kind) {
        BusinessCalendar configured = byUnit.get(Objects.requireNonNull(unitId, "unitId"));
        return configured != null ? configured : forKind(kind);
    }

    /** @return the unit's own configured calendar, if any */
    public Optional<BusinessCalendar> configuredFor(String unitId) {
        return Optional.ofNullable(byUnit.get(Objects.requireNonNull(unitId, "unitId")));
    }

    /** @return ids of the units with their own calendar */
    public Set<String> configuredUnits() {
        return byUnit.keySet();
    }
}
