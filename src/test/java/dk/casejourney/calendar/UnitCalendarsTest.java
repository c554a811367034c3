package dk.casejourney.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class UnitCalendarsTest {

    private static Instant cph(int year, int month, int day, int hour, int minute) {
        return LocalDateTime.of(year, month, day, hour, minute).atZone(BusinessCalendar.COPENHAGEN).toInstant();
    }

    /** Binds like Spring Boot does for the application, without starting a context. */
    private static CalendarProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("ledger.calendar", CalendarProperties.class);
    }

    @Test
    void defaultsFollowTheDomain() {
        UnitCalendars calendars = UnitCalendars.defaults();
        assertThat(calendars.wholeCase()).isEqualTo(BusinessCalendar.wholeCase());
        assertThat(calendars.forKind(UnitKind.CONTACT_CENTER).hours()).isEqualTo(WeeklyOpeningHours.CONTACT_CENTER);
        assertThat(calendars.forKind(UnitKind.CITIZEN_SERVICE_CENTER).hours()).isEqualTo(WeeklyOpeningHours.CITIZEN_SERVICE_CENTER);
        assertThat(calendars.forKind(UnitKind.BACK_OFFICE).hours()).isEqualTo(WeeklyOpeningHours.WHOLE_CASE);
        assertThat(calendars.forKind(UnitKind.SPECIALIST_OFFICE).hours()).isEqualTo(WeeklyOpeningHours.WHOLE_CASE);
        assertThat(calendars.forKind(UnitKind.SELF_SERVICE)).isEqualTo(BusinessCalendar.selfService());
    }

    @Test
    void selfServiceIsOpenOnChristmasButTheContactCenterIsNot() {
        UnitCalendars calendars = UnitCalendars.defaults();
        Instant christmasDayNoon = cph(2024, 12, 25, 12, 0);
        assertThat(calendars.forKind(UnitKind.SELF_SERVICE).isOpen(christmasDayNoon)).isTrue();
        assertThat(calendars.forKind(UnitKind.CONTACT_CENTER).isOpen(christmasDayNoon)).isFalse();
    }

    @Test
    void unitOverrideWinsOverTheKindDefault() {
        UnitCalendars calendars = UnitCalendars.fromSettings(null, null, Map.of(), Map.of(
                "KBH-BS-NORD", new UnitCalendars.UnitSettings(UnitKind.CITIZEN_SERVICE_CENTER,
                        WeeklyOpeningHours.parse("MON-THU 10:00-18:00; FRI 10:00-15:00"), null)));
        BusinessCalendar nord = calendars.forUnit("KBH-BS-NORD", UnitKind.CITIZEN_SERVICE_CENTER);
        // Friday 8 Nov 2024: 10-15 = 5h instead of the default 8h.
        assertThat(nord.businessTimeBetween(cph(2024, 11, 8, 0, 0), cph(2024, 11, 9, 0, 0))).isEqualTo(Duration.ofHours(5));
        assertThat(nord.holidays()).isEqualTo(HolidayRules.danish());
        assertThat(calendars.forUnit("KBH-BS-SYD", UnitKind.CITIZEN_SERVICE_CENTER).hours())
                .isEqualTo(WeeklyOpeningHours.CITIZEN_SERVICE_CENTER);
        assertThat(calendars.configuredFor("KBH-BS-SYD")).isEmpty();
        assertThat(calendars.configuredUnits()).containsExactly("KBH-BS-NORD");
    }

    @Test
    void unitWithOnlyAKindGetsTheKindsConfiguredHoursAndHolidayHandling() {
        UnitCalendars calendars = UnitCalendars.fromSettings(null, null,
                Map.of(UnitKind.BACK_OFFICE, WeeklyOpeningHours.parse("MON-FRI 09:00-15:00")),
                Map.of("WEB", new UnitCalendars.UnitSettings(UnitKind.SELF_SERVICE, null, null),
                        "BO-1", new UnitCalendars.UnitSettings(UnitKind.BACK_OFFICE, null, null)));
        assertThat(calendars.configuredFor("WEB")).contains(BusinessCalendar.selfService());
        assertThat(calendars.configuredFor("BO-1").orElseThrow().hours()).hasToString("MON-FRI 09:00-15:00");
        assertThat(calendars.forKind(UnitKind.BACK_OFFICE).hours()).hasToString("MON-FRI 09:00-15:00");
    }

    @Test
    void unitNeedsAKindOrHours() {
        assertThatThrownBy(() -> UnitCalendars.fromSettings(null, null, null,
                Map.of("X", new UnitCalendars.UnitSettings(null, null, true))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unit X needs a kind or opening hours");
    }

    @Test
    void isNotChangedByLaterChangesToTheGivenMaps() {
        Map<String, BusinessCalendar> units = new HashMap<>();
        units.put("A", BusinessCalendar.selfService());
        UnitCalendars calendars = new UnitCalendars(BusinessCalendar.wholeCase(), Map.of(), units);
        units.put("B", BusinessCalendar.selfService());
        units.remove("A");
        assertThat(calendars.configuredUnits()).containsExactly("A");
        assertThatThrownBy(() -> calendars.configuredUnits().add("C")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void propertiesBindAndBuildTheCalendars() {
        Map<String, String> properties = new HashMap<>();
        properties.put("ledger.calendar.whole-case", "MON-FRI 08:00-15:00");
        properties.put("ledger.calendar.kinds.CITIZEN_SERVICE_CENTER", "MON-FRI 10:00-17:00");
        properties.put("ledger.calendar.units.KBH-KC.kind", "CONTACT_CENTER");
        properties.put("ledger.calendar.units.KBH-KC.hours", "MON-FRI 08:00-19:00");
        properties.put("ledger.calendar.units.KBH-WEB.kind", "SELF_SERVICE");
        properties.put("ledger.calendar.units.KBH-WEB.closed-on-holidays", "true");

        UnitCalendars calendars = bind(properties).toUnitCalendars();

        assertThat(calendars.wholeCase().hours()).hasToString("MON-FRI 08:00-15:00");
        assertThat(calendars.wholeCase().zone()).isEqualTo(ZoneId.of("Europe/Copenhagen"));
        assertThat(calendars.forKind(UnitKind.CITIZEN_SERVICE_CENTER).hours()).hasToString("MON-FRI 10:00-17:00");
        assertThat(calendars.forUnit("KBH-KC", UnitKind.CONTACT_CENTER).hours()).hasToString("MON-FRI 08:00-19:00");
        BusinessCalendar web = calendars.configuredFor("KBH-WEB").orElseThrow();
        assertThat(web.hours().isAlwaysOpen()).isTrue();
        assertThat(web.holidays()).isEqualTo(HolidayRules.danish());
    }

    @Test
    void emptyPropertiesGiveTheDefaults() {
        UnitCalendars calendars = bind(Map.of()).toUnitCalendars();
        assertThat(calendars.wholeCase()).isEqualTo(BusinessCalendar.wholeCase());
        for (UnitKind kind : UnitKind.values()) {
            assertThat(calendars.forKind(kind)).isEqualTo(UnitCalendars.defaults().forKind(kind));
        }
    }

    @Test
    void badPropertyValueNamesTheProperty() {
        assertThatThrownBy(() -> bind(Map.of("ledger.calendar.units.KBH-KC.hours", "MON-FRI 8-18")).toUnitCalendars())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ledger.calendar.units.KBH-KC.hours: invalid opening hours")
                .hasMessageContaining("'8-18' is not an interval");
        assertThatThrownBy(() -> bind(Map.of("ledger.calendar.zone", "Europe/Atlantis")).toUnitCalendars())
                .hasMessageContaining("ledger.calendar.zone");
    }

    @Test
    void configuredZoneIsUsedForAllCalendars() {
        UnitCalendars calendars = bind(Map.of("ledger.calendar.zone", "UTC")).toUnitCalendars();
        assertThat(calendars.wholeCase().zone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(calendars.forKind(UnitKind.CONTACT_CENTER).zone()).isEqualTo(ZoneId.of("UTC"));
    }
}
